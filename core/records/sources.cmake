# Records on the device: sync metadata (HLC, ops, outbox), repositories, audit, attachments.
target_sources(vigil_core PRIVATE
  records/Hlc.cpp
  records/Op.cpp
  records/OpLimits.cpp
  records/AuditLog.cpp
  records/FieldPaths.cpp
  records/RecordStore.cpp
  records/RecordDigest.cpp
  records/ImageSanitiser.cpp
  records/AttachmentRepository.cpp
  records/IncidentRepository.cpp
  records/QaQueue.cpp
  records/SupervisionLists.cpp
  records/RiskMeeting.cpp
  records/CaseRepository.cpp
)
# Synthetic demo data (never real): for demos, screenshots and benchmarks.
target_sources(vigil_core PRIVATE
  demo/DemoData.cpp
)

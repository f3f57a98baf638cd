# Sources of the risk model and 124D rules (issue 3), and the 124D domain types.
target_sources(vigil_core PRIVATE
  domain/Incident.cpp
  risk/AuthorityPolicy.cpp
  risk/Dates.cpp
  risk/DiversityCategories.cpp
  risk/FieldChecks.cpp
  risk/History.cpp
  risk/JsonFile.cpp
  risk/Lifecycle.cpp
  risk/MaracRules.cpp
  risk/OutcomeList.cpp
  risk/OutcomeRules.cpp
  risk/PersonMatch.cpp
  risk/ReviewCadence.cpp
  risk/RiskEngine.cpp
  risk/RiskModel.cpp
  risk/RiskScorer.cpp
  risk/RulesConfig.cpp
  risk/SharingPolicy.cpp
  risk/SubmissionValidator.cpp
)

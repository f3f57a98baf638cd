#include "core/casework/Case.h"

#include <array>

#include "core/common/Uuid.h"

namespace vigil {

namespace {
constexpr std::array kStatuses{CaseStatus::Referred, CaseStatus::Contacted, CaseStatus::Assessed, CaseStatus::Supported,
                               CaseStatus::Closed,   CaseStatus::Declined,  CaseStatus::Dropped,  CaseStatus::Dormant};
constexpr std::array kOutcomes{ContactOutcome::Spoke, ContactOutcome::NoAnswer, ContactOutcome::UnsafeToTalk,
                               ContactOutcome::MessageLeft};
}  // namespace

std::span<const CaseStatus> allCaseStatuses() noexcept { return kStatuses; }

std::string_view toString(CaseStatus status) noexcept
{
    switch (status) {
    case CaseStatus::Referred: return "referred";
    case CaseStatus::Contacted: return "contacted";
    case CaseStatus::Assessed: return "assessed";
    case CaseStatus::Supported: return "supported";
    case CaseStatus::Closed: return "closed";
    case CaseStatus::Declined: return "declined";
    case CaseStatus::Dropped: return "dropped";
    case CaseStatus::Dormant: return "dormant";
    }
    return "referred";
}

std::optional<CaseStatus> caseStatusFromString(std::string_view text) noexcept
{
    for (CaseStatus s : kStatuses)
        if (toString(s) == text)
            return s;
    return std::nullopt;
}

std::string caseStatusWords(CaseStatus status)
{
    switch (status) {
    case CaseStatus::Referred: return "Referred, not yet contacted";
    case CaseStatus::Contacted: return "Contacted";
    case CaseStatus::Assessed: return "Risk assessed";
    case CaseStatus::Supported: return "Being supported";
    case CaseStatus::Closed: return "Closed";
    case CaseStatus::Declined: return "Declined support";
    case CaseStatus::Dropped: return "Dropped out";
    case CaseStatus::Dormant: return "Dormant";
    }
    return "Referred";
}

bool isOpen(CaseStatus status) noexcept
{
    return status == CaseStatus::Referred || status == CaseStatus::Contacted || status == CaseStatus::Assessed
        || status == CaseStatus::Supported;
}

std::span<const ContactOutcome> allContactOutcomes() noexcept { return kOutcomes; }

std::string_view toString(ContactOutcome outcome) noexcept
{
    switch (outcome) {
    case ContactOutcome::Spoke: return "spoke";
    case ContactOutcome::NoAnswer: return "no_answer";
    case ContactOutcome::UnsafeToTalk: return "unsafe_to_talk";
    case ContactOutcome::MessageLeft: return "message_left";
    }
    return "spoke";
}

std::optional<ContactOutcome> contactOutcomeFromString(std::string_view text) noexcept
{
    for (ContactOutcome o : kOutcomes)
        if (toString(o) == text)
            return o;
    return std::nullopt;
}

std::string contactOutcomeWords(ContactOutcome outcome)
{
    switch (outcome) {
    case ContactOutcome::Spoke: return "Spoke with the victim";
    case ContactOutcome::NoAnswer: return "No answer";
    case ContactOutcome::UnsafeToTalk: return "Unsafe to talk";
    case ContactOutcome::MessageLeft: return "Message left";
    }
    return "Spoke with the victim";
}

bool notesKeptByIdvaService(const CaseContact& contact, Role viewer) noexcept
{
    return viewer != Role::Idva && contact.byIdva && contact.notes.empty() && contact.actions.empty();
}

std::string caseIdFor(const CaseKey& key)
{
    return uuidFromName("vigil case/" + key.kind + "/" + key.source);
}

}  // namespace vigil

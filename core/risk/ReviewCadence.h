#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/Incident.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// Who a review of an investigation is asked of (DOMAIN.md §6). Ranks are not held in Vigil's
/// user records: the supervisor records the level they review at, the server checks the role.
enum class ReviewLevel { Supervisor, Inspector, ChiefInspector };

[[nodiscard]] std::string_view toString(ReviewLevel level) noexcept;
[[nodiscard]] std::optional<ReviewLevel> reviewLevelFromString(std::string_view text) noexcept;
/// "a supervisor", "an inspector", "a chief inspector".
[[nodiscard]] std::string reviewLevelWords(ReviewLevel level);

/// When the 124D's next supervisory review is due, and why.
struct ReviewDue {
    std::chrono::sys_seconds due{};
    ReviewLevel level = ReviewLevel::Supervisor;
    /// Why then, in words: "7 days after the last review", "10 hours after the 124D was
    /// started (serious sexual offence)".
    std::string basis;
};

/// The times the cadence counts from, read from the record's stamps.
struct ReviewClock {
    std::chrono::sys_seconds started{};     ///< when the 124D was started (its first saved field)
    std::chrono::sys_seconds stateSince{};  ///< when it took its present state (approval, allocation)
};

/// The next review due for a 124D (DOMAIN.md §6, issue 23), from its state, its serious
/// sexual offence flag and its supervision log:
/// - approved or under investigation: `reviewEveryDays` after the latest of the last review
///   (kind "review") and the time it took its state (approval, allocation);
/// - a serious sexual offence (submitted, approved or under investigation): a supervisor
///   `ssoSupervisorHours` after it was started, an inspector `ssoInspectorDays` after, a chief
///   inspector `ssoChiefInspectorDays` after, each until a review at that level is logged;
///   then a chief inspector every `ssoThenEveryDays` after the last review.
/// nullopt when no review is due (a draft, returned, a closed 124D, or one waiting for QA).
[[nodiscard]] std::optional<ReviewDue> nextReviewDue(const Incident& incident, const ReviewClock& clock,
                                                     const RulesConfig& rules);

/// The reviews logged on a 124D by some moment: the last one, and whether each level has reviewed.
struct ReviewLog {
    std::optional<std::chrono::sys_seconds> last;
    bool supervisor = false;
    bool inspector = false;
    bool chiefInspector = false;
    void add(ReviewLevel level, std::chrono::sys_seconds at) noexcept;
};

/// The reviews in a 124D's supervision log (entries of kind "review" with a readable time).
[[nodiscard]] ReviewLog reviewLogOf(const Incident& incident);

/// When the next review is due and at which level, without the words: the same rule as
/// nextReviewDue, from the facts it reads (the figures ask it of every open investigation).
struct ReviewDueAt {
    std::chrono::sys_seconds due{};
    ReviewLevel level = ReviewLevel::Supervisor;
};
[[nodiscard]] std::optional<ReviewDueAt> nextReviewAt(LifecycleState state, bool seriousSexualOffence,
                                                      const ReviewLog& log, const ReviewClock& clock,
                                                      const RulesConfig& rules) noexcept;

/// "3 days", "5 hours", "40 minutes": how long overdue or how long until due.
[[nodiscard]] std::string spanWords(std::chrono::seconds span);

}  // namespace vigil

#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/LondonTime.h"
#include "core/common/Result.h"

namespace vigil {

/// The file name of the bank-holiday list, shipped in core/risk-models and, when an
/// administrator installs a newer copy, under the same name in the place they are told
/// (docs/victims-code.md).
inline constexpr std::string_view kBankHolidayFileName = "bank-holidays-england-and-wales.json";

/// One England and Wales bank holiday, as the gov.uk list gives it: the weekday it is taken
/// on (a substitute day when the day itself falls at a weekend).
struct BankHoliday {
    CivilDate date{};
    std::string title;  ///< "Christmas Day"
    std::string notes;  ///< "Substitute day", or empty
    bool bunting = true;
};

/// Working days in England and Wales: Monday to Friday except the bank holidays in a versioned
/// list in the gov.uk bank-holidays JSON format (core/risk-models/bank-holidays-england-and-wales.json).
/// The list says which dates it covers; a question about a date outside them is refused in
/// words rather than answered as if there were no holidays that year.
///
/// Dates are London civil dates (CivilDate). A deadline "n working days after" an event counts
/// from the London date the event happened on, which itself never counts, and ends at the end
/// of the n-th working day after it (londonDayEnd): an arrest at 19:00 on a Friday is due by the
/// end of Monday, or of Tuesday when that Monday is a bank holiday.
class WorkingDays {
public:
    /// Parses and checks a list: the "vigil" block (version, source, covers_from, covers_to),
    /// the "england-and-wales" events (well-formed dates, no duplicates, none at a weekend, all
    /// within the coverage, at least 8 in every whole year covered). Events may be in any order.
    /// Errors are MalformedModel, naming the file and the JSON path.
    /// Text over 4 MiB, or nesting deeper than any such list (16 levels), is refused before it is
    /// parsed: the device parses the list the server sends it.
    [[nodiscard]] static Result<WorkingDays> parse(std::string_view jsonText, std::string_view fileName);
    [[nodiscard]] static Result<WorkingDays> loadFile(const std::filesystem::path& path);

    /// Raised by whoever updates the list; an administrator's copy must not be older than the shipped one.
    [[nodiscard]] int version() const noexcept { return m_version; }
    [[nodiscard]] const std::string& source() const noexcept { return m_source; }
    [[nodiscard]] CivilDate coversFrom() const noexcept { return m_from; }
    [[nodiscard]] CivilDate coversTo() const noexcept { return m_to; }
    /// "2006 to 2028" (whole years), else "2006-04-01 to 2028-12-31".
    [[nodiscard]] std::string coverageWords() const;
    /// Sorted by date.
    [[nodiscard]] const std::vector<BankHoliday>& holidays() const noexcept { return m_holidays; }

    /// OK when `day` is within the list's coverage, else InvalidArgument saying so in words:
    /// "The bank-holiday list covers 2006 to 2028, so Vigil cannot tell whether Tuesday 2 January
    /// 2029 is a working day: ask your administrator to update it."
    [[nodiscard]] Status covers(CivilDate day) const;

    /// The bank holiday on `day`, or nullptr; refused outside the coverage.
    [[nodiscard]] Result<const BankHoliday*> bankHoliday(CivilDate day) const;
    /// Monday to Friday and not a bank holiday; refused outside the coverage.
    [[nodiscard]] Result<bool> isWorkingDay(CivilDate day) const;

    /// The n-th working day after `from` (n >= 0; `from` itself never counts, working day or
    /// not, and n = 0 gives `from` back). Refused when any day it has to look at is outside the
    /// coverage, and for n < 0.
    [[nodiscard]] Result<CivilDate> addWorkingDays(CivilDate from, int n) const;

    /// The end of the n-th working day after the London date of `event` (n >= 1): the instant
    /// from which a deadline "within n working days of the event" is missed.
    [[nodiscard]] Result<std::chrono::sys_seconds> endOfWorkingDaysAfter(std::chrono::sys_seconds event, int n) const;

    /// When the hearing for a DVPN or DAPN is due: `within` hours after the notice was given, not
    /// counting any Sunday, Christmas Day, Good Friday or bank holiday in England and Wales
    /// (Crime and Security Act 2010 s.27; Domestic Abuse Act 2021). Whole London days are
    /// skipped: a notice given at 10:00 on a Saturday is due at 10:00 on the Tuesday (or the
    /// Wednesday after a bank-holiday Monday). Good Friday is always in the list; Christmas Day
    /// is skipped on 25 December whichever weekday it falls on, and so is its substitute day.
    [[nodiscard]] Result<std::chrono::sys_seconds> noticeHearingDue(std::chrono::sys_seconds given,
                                                                   std::chrono::hours within = std::chrono::hours{48}) const;

private:
    int m_version = 0;
    std::string m_source;
    CivilDate m_from{};
    CivilDate m_to{};
    std::vector<BankHoliday> m_holidays;
};

/// What became of an administrator's copy of the bank-holiday list.
enum class BankHolidayOverride {
    NotGiven,    ///< no path was passed
    Absent,      ///< no file at the path: the usual case, the shipped list is used
    Used,        ///< the administrator's copy is in use
    Refused,     ///< a file is there but could not be used: `note` says why
    Superseded,  ///< a usable copy, but the list received from the server is newer: `note` says so
};

/// Where the list in use came from.
enum class BankHolidaySource {
    Shipped,    ///< the list shipped with this build
    Server,     ///< the list the administrator imported on the server, received at a sync
    AdminCopy,  ///< a file an administrator placed on this device
};

/// The list in use and where it came from.
struct BankHolidayChoice {
    WorkingDays calendar;
    std::filesystem::path file;  ///< the file `calendar` was read from; empty for the server's list
    BankHolidayOverride adminCopy = BankHolidayOverride::NotGiven;
    BankHolidaySource source = BankHolidaySource::Shipped;
    /// The version of the server's list this choice was made with (0: none held). A caller holding
    /// a choice makes it again when the device has received another list since.
    int serverVersion = 0;
    /// For an administrator or a log: which list is in use and, when another was not used,
    /// why. Empty when the shipped list is used and no other was there.
    std::string note;
};

/// Reads the shipped list and, when `adminCopy` names a file that exists, the administrator's
/// copy, which is used only when it is valid, its version is at least the shipped one's and it
/// covers every date the shipped one does; otherwise the shipped list is used and `note` says
/// why the copy was not. An update therefore needs no new build, and a mistaken copy can never
/// shorten the list. Fails only when neither list can be used.
[[nodiscard]] Result<BankHolidayChoice> loadBankHolidays(const std::filesystem::path& shipped,
                                                         const std::optional<std::filesystem::path>& adminCopy);

/// The newest usable list of three: the shipped one, the one received from the server
/// (`fromServer`, its text as the device keeps it; nullopt or empty when none), and an
/// administrator's copy on this device (`adminCopy`, when the file exists). A list other than the
/// shipped one is usable when it is valid, its version is at least the shipped one's and it covers
/// every date the shipped one does (the rules of loadBankHolidays). Of the usable lists the highest
/// version wins; on equal versions the administrator's copy wins over the server's, and either over
/// the shipped list. `note` says which is in use and why any other was not. Fails only when no list
/// can be used.
[[nodiscard]] Result<BankHolidayChoice> chooseBankHolidays(const std::filesystem::path& shipped,
                                                           const std::optional<std::string>& fromServer,
                                                           const std::optional<std::filesystem::path>& adminCopy);

/// The bank-holiday list shipped with Vigil, in the folder shippedRiskModelDir() finds (core/risk/RiskModelDir.h).
[[nodiscard]] std::filesystem::path shippedBankHolidayFile();

}  // namespace vigil

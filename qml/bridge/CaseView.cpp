#include "CaseView.h"

#include <nlohmann/json.hpp>

#include "CaseloadModel.h"
#include "RecordsAccess.h"
#include "StoreWorker.h"
#include "Words.h"
#include "core/risk/Dates.h"

namespace vigil::app {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

QVariant answer(const std::optional<bool>& a)
{
    return a ? QVariant(*a) : QVariant();
}

/// A choice list for a screen: each value's core name as `id`, its words as `label`.
template <typename Values, typename Words>
QVariantList choices(const Values& values, Words words)
{
    QVariantList out;
    for (const auto value : values)
        out << QVariantMap{{QStringLiteral("id"), q(std::string(toString(value)))}, {QStringLiteral("label"), q(words(value))}};
    return out;
}

std::optional<bool> answerOf(const QVariantMap& m, const char* key)
{
    const QVariant v = m.value(QLatin1String(key));
    return v.isValid() && !v.isNull() && v.typeId() == QMetaType::Bool ? std::optional<bool>(v.toBool()) : std::nullopt;
}
}  // namespace

CaseView::CaseView(StoreWorker* worker, RecordsAccess* access, QObject* parent)
    : QObject(parent), m_worker(worker), m_access(access),
      m_now([] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); })
{
}

void CaseView::setRules(std::shared_ptr<const VictimsCodeRules> rules, std::shared_ptr<const BankHolidayChoice> calendar,
                        std::shared_ptr<const OrdersRules> orders)
{
    m_rules = std::move(rules);
    m_calendar = std::move(calendar);
    m_orderRules = std::move(orders);
}

namespace {
/// "2026-12-06 14:30" or "2026-12-06T14:30:00Z" (UTC) as an instant; a date alone is 09:00.
std::optional<std::chrono::sys_seconds> typedInstant(const QString& text)
{
    const std::string t = text.trimmed().toStdString();
    if (t.empty())
        return std::nullopt;
    if (auto at = parseIsoDateTime(t))
        return at;
    if (auto day = parseIsoDate(t))
        return std::chrono::sys_seconds(*day) + std::chrono::hours(9);
    return std::nullopt;
}
}  // namespace

CaseView::Loaded CaseView::load(RecordStore& store, const CaseKey& key, const VictimsCodeRules* rules,
                                const WorkingDays* calendar, std::chrono::sys_seconds now)
{
    Loaded out;
    CaseRepository cases(store);
    auto c = cases.read(key);
    if (!c) {
        out.error = q(c.error().message);
        return out;
    }
    out.c = std::move(c).value();
    if (auto victim = store.get(Entity::Person, out.c.victimId); victim && *victim) {
        const auto text = [&](const char* f) {
            const auto& v = (*victim)->field(f);
            return v.is_string() ? v.get<std::string>() : std::string();
        };
        out.victimName = text("person.name");
        out.risk = text("grade.supervisor").empty() ? text("grade.officer") : text("grade.supervisor");
        // A later re-assessment on the case stands over the 124D's grade.
        if (!out.c.reassessments.empty() && out.c.reassessments.back().standing)
            out.risk = std::string(toString(*out.c.reassessments.back().standing));
        out.safe = safeContactFromFields((*victim)->fields);
        out.updatedBy = text("safe_contact.updated_by");
        out.updatedAt = text("safe_contact.updated_at");
    }
    if (rules && calendar) {
        auto due = cases.due(out.c, *rules, *calendar, now);
        if (due)
            out.due = std::move(due).value();
        else
            out.error = q(due.error().message);
    } else {
        out.error = tr("The Victims' Code deadlines or the bank-holiday list could not be read, so nothing due is shown. "
                       "Reinstall Vigil, or tell your administrator.");
    }
    return out;
}

void CaseView::apply(Loaded loaded)
{
    m_loading = false;
    if (!loaded.error.isEmpty() && loaded.c.id.empty()) {
        m_message = loaded.error;
        emit busyChanged();
        emit changed();
        return;
    }
    m_case = std::move(loaded.c);
    m_due = std::move(loaded.due);
    m_safe = std::move(loaded.safe);
    m_victimName = std::move(loaded.victimName);
    m_riskWords = loaded.risk.empty() ? tr("Not graded") : gradeWords(q(loaded.risk));
    m_updatedBy = std::move(loaded.updatedBy);
    m_updatedAt = std::move(loaded.updatedAt);
    m_viewer = loaded.viewer;
    if (!loaded.error.isEmpty())
        m_message = loaded.error;
    emit changed();
    emit busyChanged();
}

void CaseView::open(const QString& kind, const QString& source)
{
    if (!m_worker || !m_access)
        return;
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_message.clear();
    m_key = CaseKey{kind.toStdString(), source.toStdString()};
    m_case = {};
    m_case.id = caseIdFor(m_key);
    emit changed();
    RecordsAccess* access = m_access;
    const CaseKey id = m_key;
    auto rules = m_rules;
    auto calendar = m_calendar;
    const auto now = m_now();
    m_worker->run(
        this,
        [access, id, rules, calendar, now] {
            Loaded out;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                out = load(store, id, rules.get(), calendar ? &calendar->calendar : nullptr, now);
                out.viewer = access->role();
                // Opening a victim's case is a consultation of her record (DPA 2018 s.62).
                if (!out.c.id.empty())
                    return store.audit(access->actor(), AuditAction::Consultation, Entity::Person, out.c.victimId,
                                       "case opened");
                return {};
            });
            if (!s.ok() && out.error.isEmpty())
                out.error = q(s.error().message);
            return out;
        },
        [this, generation](Loaded out) {
            if (generation == m_generation)
                apply(std::move(out));
        });
}

void CaseView::close()
{
    ++m_generation;
    m_key = {};
    m_case = {};
    m_due = {};
    m_safe = {};
    m_victimName.clear();
    m_message.clear();
    m_loading = false;
    emit changed();
    emit busyChanged();
}

void CaseView::change(std::function<Status(CaseRepository&, const Actor&)> write, QString done)
{
    if (!m_worker || !m_access || m_busy || m_case.id.empty())
        return;
    m_busy = true;
    m_message.clear();
    emit busyChanged();
    const quint64 generation = m_generation;
    RecordsAccess* access = m_access;
    const CaseKey id = m_key;
    auto rules = m_rules;
    auto calendar = m_calendar;
    const auto now = m_now();
    m_worker->run(
        this,
        [access, id, rules, calendar, now, write] {
            std::pair<QString, Loaded> out;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                CaseRepository cases(store);
                VIGIL_TRY(write(cases, access->actor()));
                out.second = load(store, id, rules.get(), calendar ? &calendar->calendar : nullptr, now);
                out.second.viewer = access->role();
                return {};
            });
            if (s.ok())
                access->changed();  // goes with the next sync
            else
                out.first = q(s.error().message);
            return out;
        },
        [this, generation, done](std::pair<QString, Loaded> out) {
            m_busy = false;
            if (generation != m_generation) {
                emit busyChanged();  // another case was opened meanwhile: nothing of this one to show
                return;
            }
            if (!out.first.isEmpty()) {
                m_message = out.first;
                emit busyChanged();
                return;
            }
            m_message = done;
            apply(std::move(out.second));
            emit saved();
        });
}

QVariantMap CaseView::methodCheck(const QString& method) const
{
    const auto m = contactMethodFromString(method.toStdString());
    if (!m)
        return {{QStringLiteral("allowed"), false}, {QStringLiteral("reason"), tr("Choose how you made contact.")}};
    const ContactVerdict v = checkContact(m_safe, *m, m_now());
    return {{QStringLiteral("allowed"), v.allowed}, {QStringLiteral("reason"), q(v.refusal)},
            {QStringLiteral("caution"), q(v.caution)}};
}

void CaseView::logContact(const QVariantMap& form)
{
    CaseContact c;
    const auto method = contactMethodFromString(form.value(QStringLiteral("method")).toString().toStdString());
    const auto outcome = contactOutcomeFromString(form.value(QStringLiteral("outcome")).toString().toStdString());
    if (!method || !outcome) {
        m_message = tr("Not logged: choose how you made contact and what came of it.");
        emit busyChanged();
        return;
    }
    c.method = *method;
    c.outcome = *outcome;
    c.at = formatIsoDateTime(m_now());
    c.notes = form.value(QStringLiteral("notes")).toString().trimmed().toStdString();
    c.actions = form.value(QStringLiteral("actions")).toString().trimmed().toStdString();
    const QString next = form.value(QStringLiteral("nextDue")).toString().trimmed();
    if (!next.isEmpty()) {
        const auto parsed = parseIsoDateTime(next.toStdString());
        const auto day = parsed ? std::nullopt : parseIsoDate(next.toStdString());
        if (!parsed && !day) {
            m_message = tr("Not logged: the next contact \"%1\" is not a date. Write it as 2026-12-10 or 2026-12-10 "
                           "14:00.").arg(next);
            emit busyChanged();
            return;
        }
        c.nextDue = parsed ? formatIsoDateTime(*parsed) : formatIsoDateTime(std::chrono::sys_seconds(*day) + std::chrono::hours(9));
    }
    for (const QVariant& d : form.value(QStringLiteral("duties")).toList())
        c.duties.push_back(d.toString().toStdString());
    const QString words = c.outcome == ContactOutcome::Spoke ? tr("Contact logged. It goes with the next sync.")
                                                             : tr("Attempt logged. It goes with the next sync.");
    const CaseKey key = m_key;
    change([key, c](CaseRepository& cases, const Actor& actor) -> Status {
        auto logged = cases.logContact(actor, key, c);
        return logged ? Status() : Status(logged.error());
    }, words);
}

void CaseView::setStatus(const QString& status)
{
    const auto s = caseStatusFromString(status.toStdString());
    if (!s)
        return;
    const CaseKey id = m_key;
    change([id, s](CaseRepository& cases, const Actor& actor) { return cases.setStatus(actor, id, *s); },
           tr("The case is now: %1.").arg(q(caseStatusWords(*s))));
}

void CaseView::setServicesConsent(bool consent)
{
    const CaseKey id = m_key;
    change([id, consent](CaseRepository& cases, const Actor& actor) { return cases.setServicesConsent(actor, id, consent); },
           consent ? tr("Recorded: the victim agrees to her details going to victim services.")
                   : tr("Recorded: the victim does not agree to her details going to victim services."));
}

void CaseView::addSafetyItem(const QString& text)
{
    const CaseKey id = m_key;
    const std::string t = text.trimmed().toStdString();
    change([id, t](CaseRepository& cases, const Actor& actor) -> Status {
        auto item = cases.addSafetyItem(actor, id, t);
        return item ? Status() : Status(item.error());
    }, tr("Added to the safety plan."));
}

void CaseView::setSafetyItemDone(const QString& itemId, bool done)
{
    const std::string item = itemId.toStdString();
    change([item, done](CaseRepository& cases, const Actor& actor) { return cases.setSafetyItemDone(actor, item, done); },
           done ? tr("Marked done.") : tr("Marked not done."));
}

void CaseView::addEvent(const QString& kind, const QString& atIso, const QString& notes)
{
    // A charge decision says whether the suspect was charged (a charge calls for the feedback form).
    std::optional<bool> charged;
    QString kindName = kind;
    if (kind.startsWith(QStringLiteral("charge_decision/"))) {
        charged = kind.endsWith(QStringLiteral("/charged"));
        kindName = QStringLiteral("charge_decision");
    }
    const auto k = caseEventKindFromString(kindName.toStdString());
    std::optional<std::chrono::sys_seconds> at = atIso.trimmed().isEmpty() ? std::optional(m_now())
                                                                             : parseIsoDateTime(atIso.trimmed().toStdString());
    if (!k || !at) {
        m_message = tr("Not recorded: choose what happened and when (e.g. 2026-12-06 14:30).");
        emit busyChanged();
        return;
    }
    CaseEventRecord e{CaseEvent{{}, *k, *at}, {}, notes.trimmed().toStdString(), charged};
    const CaseKey id = m_key;
    change([id, e](CaseRepository& cases, const Actor& actor) { return cases.addEvent(actor, id, e); },
           tr("Recorded. What the victim must be told, and by when, is listed under Due."));
}

void CaseView::setSafeContact(const QVariantMap& answers)
{
    SafeContact a;
    a.phone = answerOf(answers, "phone");
    a.text = answerOf(answers, "text");
    a.voicemail = answerOf(answers, "voicemail");
    a.email = answerOf(answers, "email");
    a.visit = answerOf(answers, "visit");
    a.safeTimes = answers.value(QStringLiteral("safeTimes")).toString().trimmed().toStdString();
    a.afraidOf = answers.value(QStringLiteral("afraidOf")).toString().trimmed().toStdString();
    const CaseKey id = m_key;
    change([id, a](CaseRepository& cases, const Actor& actor) { return cases.setSafeContact(actor, id, a); },
           tr("The victim's safe-contact answers are changed, with your name and the time."));
}

void CaseView::addOrder(const QVariantMap& form)
{
    const auto refuse = [this](const QString& why) {
        m_message = why;
        emit busyChanged();
    };
    const auto kind = orderKindFromString(form.value(QStringLiteral("kind")).toString().toStdString());
    if (!kind)
        return refuse(tr("Not recorded: choose the kind of order."));
    if (!m_orderRules || !m_calendar)
        return refuse(tr("Not recorded: the order rules or the bank-holiday list could not be read. Reinstall Vigil."));
    ProtectiveOrder o;
    o.kind = *kind;
    const QString made = form.value(QStringLiteral("madeAt")).toString();
    const auto madeAt = made.trimmed().isEmpty() ? std::optional(m_now()) : typedInstant(made);
    if (!madeAt)
        return refuse(tr("Not recorded: when it was made (\"%1\") is not a date and time. Write it as 2026-12-06 14:30.").arg(made));
    o.madeAt = *madeAt;
    const QString ends = form.value(QStringLiteral("expiresAt")).toString();
    if (!ends.trimmed().isEmpty()) {
        o.expiresAt = typedInstant(ends);
        if (!o.expiresAt)
            return refuse(tr("Not recorded: when it ends (\"%1\") is not a date and time. Write it as 2026-12-20 14:30.").arg(ends));
    }
    o.conditions = form.value(QStringLiteral("conditions")).toString().trimmed().toStdString();
    o.madeBy = form.value(QStringLiteral("madeBy")).toString().trimmed().toStdString();
    o.authorisedBy = form.value(QStringLiteral("authorisedBy")).toString().trimmed().toStdString();
    const CaseKey id = m_key;
    auto rules = m_orderRules;
    auto calendar = m_calendar;
    const auto now = m_now();
    change([id, o, rules, calendar, now](CaseRepository& cases, const Actor& actor) -> Status {
        auto added = cases.addOrder(actor, id, o, *rules, calendar->calendar, now);
        return added ? Status() : Status(added.error());
    }, tr("The %1 is recorded. Its end and any warning show under Orders.").arg(q(orderKindWords(o.kind))));
}

void CaseView::logBreach(const QString& orderId, const QString& what, const QString& action, const QString& atIso)
{
    if (!m_orderRules || !m_calendar)
        return;
    const auto at = atIso.trimmed().isEmpty() ? std::optional(m_now()) : typedInstant(atIso);
    if (!at) {
        m_message = tr("Not logged: when the breach happened (\"%1\") is not a date and time.").arg(atIso);
        emit busyChanged();
        return;
    }
    Breach b{{}, orderId.toStdString(), *at, what.trimmed().toStdString(), action.trimmed().toStdString()};
    const CaseKey id = m_key;
    auto rules = m_orderRules;
    auto calendar = m_calendar;
    const auto now = m_now();
    change([id, b, rules, calendar, now](CaseRepository& cases, const Actor& actor) -> Status {
        auto logged = cases.logBreach(actor, id, b, *rules, calendar->calendar, now);
        return logged ? Status() : Status(logged.error());
    }, tr("Breach logged. It goes with the next sync."));
}

void CaseView::recordOrderDuty(const QString& orderId, const QString& duty, const QString& atIso)
{
    if (!m_orderRules || !m_calendar)
        return;
    const auto at = atIso.trimmed().isEmpty() ? std::optional(m_now()) : typedInstant(atIso);
    if (!at) {
        m_message = tr("Not recorded: \"%1\" is not a date and time. Write it as 2026-12-06 14:30.").arg(atIso);
        emit busyChanged();
        return;
    }
    const OrderDuty which = duty == QLatin1String("notification") ? OrderDuty::Notification : OrderDuty::Hearing;
    const CaseKey id = m_key;
    const std::string order = orderId.toStdString();
    auto rules = m_orderRules;
    auto calendar = m_calendar;
    const auto now = m_now();
    change([id, order, which, at = *at, rules, calendar, now](CaseRepository& cases, const Actor& actor) {
        return cases.recordOrderDuty(actor, id, order, which, at, *rules, calendar->calendar, now);
    }, which == OrderDuty::Hearing ? tr("The hearing is recorded. If the court made an order, record it as a new order.")
                                   : tr("Recorded: the name and address were given to the police."));
}

QVariantMap CaseView::feedbackMethodCheck(const QString& method) const
{
    const auto m = contactMethodFromString(method.toStdString());
    if (!m)
        return {{QStringLiteral("allowed"), false}, {QStringLiteral("reason"), tr("Choose how the form goes to the victim.")}};
    const ContactVerdict v = checkFeedbackForm(m_safe, *m, m_now());
    return {{QStringLiteral("allowed"), v.allowed}, {QStringLiteral("reason"), q(v.refusal)},
            {QStringLiteral("caution"), q(v.caution)}};
}

void CaseView::issueFeedbackForm(const QString& kind, const QString& method)
{
    const auto k = feedbackFormKindFromString(kind.toStdString());
    const auto m = contactMethodFromString(method.toStdString());
    if (!k || !m) {
        m_message = tr("Not recorded: choose which form went to the victim and how.");
        emit busyChanged();
        return;
    }
    FeedbackForm form;
    form.kind = *k;
    form.method = *m;
    form.at = formatIsoDateTime(m_now());
    const CaseKey key = m_key;
    change([key, form](CaseRepository& cases, const Actor& actor) -> Status {
        auto issued = cases.issueFeedbackForm(actor, key, form);
        return issued ? Status() : Status(issued.error());
    }, tr("Feedback form recorded: %1, %2. It goes with the next sync.")
           .arg(q(feedbackFormWords(*k)).toLower(), q(feedbackMethodWords(*m))));
}

void CaseView::setFeedbackResponses(const QString& kind, int count)
{
    const auto k = feedbackFormKindFromString(kind.toStdString());
    if (!k)
        return;
    const CaseKey key = m_key;
    change([key, k, count](CaseRepository& cases, const Actor& actor) { return cases.setFeedbackResponses(actor, key, *k, count); },
           tr("Recorded: anonymous responses received to the form \"%1\": %2.")
               .arg(q(feedbackFormWords(*k)).toLower())
               .arg(count));
}

QVariantList CaseView::feedbackFormKinds() const
{
    return choices(allFeedbackFormKinds(), [](FeedbackFormKind v) { return feedbackFormWords(v); });
}

QVariantList CaseView::feedbackForms() const
{
    QVariantList out;
    for (const FeedbackFormStatus& f : feedbackFormStatuses(m_case)) {
        const char* state = f.state == FeedbackState::Issued  ? "issued"
                           : f.state == FeedbackState::Due     ? "due"
                           : f.state == FeedbackState::MaybeDue ? "maybe_due"
                                                               : "not_due";
        out << QVariantMap{{QStringLiteral("kind"), q(std::string(toString(f.kind)))},
                           {QStringLiteral("label"), q(feedbackFormWords(f.kind))},
                           {QStringLiteral("state"), QString::fromLatin1(state)},
                           {QStringLiteral("words"), q(f.words)},
                           {QStringLiteral("issued"), f.issued},
                           {QStringLiteral("responses"), f.responses}};
    }
    return out;
}

QVariantList CaseView::feedbackIssued() const
{
    QVariantList out;
    for (auto f = m_case.feedbackForms.rbegin(); f != m_case.feedbackForms.rend(); ++f)
        out << QVariantMap{{QStringLiteral("kind"), q(std::string(toString(f->kind)))},
                           {QStringLiteral("label"), q(feedbackFormWords(f->kind))},
                           {QStringLiteral("at"), instantWords(q(f->at))},
                           {QStringLiteral("by"), q(f->by)},
                           {QStringLiteral("method"), q(feedbackMethodWords(f->method))},
                           {QStringLiteral("caution"), q(f->caution)}};
    return out;
}

QVariantList CaseView::orderKinds() const
{
    return choices(allOrderKinds(), [](OrderKind v) { return orderKindTitle(v); });
}

QVariantList CaseView::orders() const
{
    QVariantList out;
    if (!m_orderRules || !m_calendar)
        return out;
    const auto now = m_now();
    for (const ProtectiveOrder& o : m_case.orders) {
        const OrderStatus st = orderStatus(o, *m_orderRules, m_calendar->calendar, now);
        QVariantList breaches;
        for (const Breach& b : breachesNewestFirst(m_case.breaches, o.id))
            breaches << QVariantMap{{QStringLiteral("at"), q(orderDateTimeWords(b.at))},
                                    {QStringLiteral("what"), q(b.what)},
                                    {QStringLiteral("action"), q(b.action)}};
        const bool hearing = orderHasDuty(*m_orderRules, o.kind, OrderDuty::Hearing);
        const bool notification = orderHasDuty(*m_orderRules, o.kind, OrderDuty::Notification);
        QStringList done;
        if (hearing && o.hearingHeldAt)
            done << tr("Hearing held %1").arg(q(orderDateTimeWords(*o.hearingHeldAt)));
        if (notification && o.nameAndAddressGivenAt)
            done << tr("Name and address given %1").arg(q(orderDateTimeWords(*o.nameAndAddressGivenAt)));
        const bool warning = st.state == OrderState::ExpiringSoon || st.state == OrderState::Expired
                          || st.state == OrderState::HearingDue || st.state == OrderState::CannotTell;
        out << QVariantMap{{QStringLiteral("id"), q(o.id)},
                           {QStringLiteral("title"), tr("%1, made %2").arg(q(orderKindTitle(o.kind)), q(orderDateTimeWords(o.madeAt)))},
                           {QStringLiteral("statusWords"), q(st.statusWords)},
                           {QStringLiteral("countdown"), q(st.countdownWords)},
                           {QStringLiteral("warning"), warning},
                           {QStringLiteral("conditions"), q(o.conditions)},
                           {QStringLiteral("authorisedBy"), q(o.authorisedBy)},
                           {QStringLiteral("breaches"), breaches},
                           {QStringLiteral("hearingOpen"), hearing && !o.hearingHeldAt},
                           {QStringLiteral("notificationOpen"), notification && !o.nameAndAddressGivenAt},
                           {QStringLiteral("done"), done.join(QStringLiteral(" · "))}};
    }
    return out;
}

QVariantList CaseView::reassessments() const
{
    QVariantList out;
    for (auto it = m_case.reassessments.rbegin(); it != m_case.reassessments.rend(); ++it) {
        const RiskReassessment& r = *it;
        const auto words = [](const std::optional<RiskGrade>& g) {
            return g ? gradeWords(q(std::string(toString(*g)))) : QString();
        };
        out << QVariantMap{{QStringLiteral("at"), instantWords(q(r.at))},
                           {QStringLiteral("by"), q(r.by)},
                           {QStringLiteral("checklist"), r.assessment.modelId == "ric-safelives" ? tr("RIC") : tr("DASH")},
                           {QStringLiteral("yes"), r.yesCount},
                           {QStringLiteral("computed"), words(r.computed)},
                           {QStringLiteral("judgement"), words(r.judgement.grade)},
                           {QStringLiteral("reason"), q(r.judgement.reason)},
                           {QStringLiteral("standing"), words(r.standing)}};
    }
    return out;
}

QVariantList CaseView::methods() const
{
    return choices(allContactMethods(), [](ContactMethod v) { return contactMethodWords(v); });
}

QVariantList CaseView::outcomes() const
{
    return choices(allContactOutcomes(), [](ContactOutcome v) { return contactOutcomeWords(v); });
}

QVariantList CaseView::statuses() const
{
    return choices(allCaseStatuses(), [](CaseStatus v) { return caseStatusWords(v); });
}

QVariantList CaseView::eventKinds() const
{
    QVariantList out;
    for (CaseEventKind k : allCaseEventKinds()) {
        if (k == CaseEventKind::Report)
            continue;
        if (k == CaseEventKind::ChargeDecision) {
            // Whether the suspect was charged: the after-charge feedback form waits for a charge.
            out << QVariantMap{{QStringLiteral("id"), QStringLiteral("charge_decision/charged")},
                               {QStringLiteral("label"), tr("the charge decision: charged")}}
                << QVariantMap{{QStringLiteral("id"), QStringLiteral("charge_decision/not_charged")},
                               {QStringLiteral("label"), tr("the charge decision: not charged")}};
            continue;
        }
        out << QVariantMap{{QStringLiteral("id"), q(std::string(toString(k)))}, {QStringLiteral("label"), q(caseEventWords(k))}};
    }
    return out;
}

QString CaseView::reference() const
{
    return m_case.incidentId.empty() ? QString() : shortReference(q(m_case.incidentId));
}

QString CaseView::safeSummary() const
{
    return CaseloadModel::safeSummary(m_safe);
}

QVariantMap CaseView::safeAnswers() const
{
    return {{QStringLiteral("phone"), answer(m_safe.phone)},       {QStringLiteral("text"), answer(m_safe.text)},
            {QStringLiteral("voicemail"), answer(m_safe.voicemail)}, {QStringLiteral("email"), answer(m_safe.email)},
            {QStringLiteral("visit"), answer(m_safe.visit)},         {QStringLiteral("safeTimes"), q(m_safe.safeTimes)},
            {QStringLiteral("afraidOf"), q(m_safe.afraidOf)},        {QStringLiteral("updatedBy"), q(m_updatedBy)},
            {QStringLiteral("updatedAt"), m_updatedAt.empty() ? QString() : instantWords(q(m_updatedAt))}};
}

QVariantList CaseView::timeline() const
{
    struct Line {
        std::string at;
        QVariantMap item;
    };
    std::vector<Line> lines;
    const auto contactLine = [&](const CaseContact& c) {
        QStringList detail;
        if (!c.notes.empty())
            detail << q(c.notes);
        if (!c.actions.empty())
            detail << tr("Actions: %1").arg(q(c.actions));
        if (!c.nextDue.empty())
            detail << tr("Next contact: %1").arg(instantWords(q(c.nextDue)));
        QString source;
        if (c.otherCaseKind == "idva")
            source = tr("From the IDVA's case");
        else if (!c.otherCaseKind.empty())
            source = tr("From the investigation's case");
        // Not an empty notes line: the notes exist, and are the IDVA's service's to give.
        const QString kept = notesKeptByIdvaService(c, m_viewer)
                                 ? tr("Notes kept by the IDVA's service: ask them if you need more.")
                                 : QString();
        lines.push_back({c.at, {{QStringLiteral("kind"), QStringLiteral("contact")},
                                {QStringLiteral("at"), instantWords(q(c.at))},
                                {QStringLiteral("title"), tr("%1 · %2").arg(q(contactMethodWords(c.method)), q(contactOutcomeWords(c.outcome)))},
                                {QStringLiteral("detail"), detail.join(QLatin1Char('\n'))},
                                {QStringLiteral("by"), q(c.by)},
                                {QStringLiteral("caution"), q(c.caution)},
                                {QStringLiteral("source"), source},
                                {QStringLiteral("kept"), kept}}});
    };
    for (const CaseContact& c : m_case.contacts)
        contactLine(c);
    for (const CaseContact& c : m_case.otherContacts)
        contactLine(c);
    for (const CaseEventRecord& e : m_case.events) {
        const std::string at = formatIsoDateTime(e.event.at);
        QString title = q(caseEventWords(e.event.kind));
        if (e.charged)
            title = *e.charged ? tr("the charge decision: charged") : tr("the charge decision: not charged");
        lines.push_back({at, {{QStringLiteral("kind"), QStringLiteral("event")},
                              {QStringLiteral("at"), instantWords(q(at))},
                              {QStringLiteral("title"), title},
                              {QStringLiteral("detail"), q(e.notes)},
                              {QStringLiteral("by"), q(e.by)},
                              {QStringLiteral("caution"), QString()},
                              {QStringLiteral("source"), QString()},
                              {QStringLiteral("kept"), QString()}}});
    }
    for (const FeedbackForm& f : m_case.feedbackForms)
        lines.push_back({f.at, {{QStringLiteral("kind"), QStringLiteral("feedback")},
                                {QStringLiteral("at"), instantWords(q(f.at))},
                                {QStringLiteral("title"), tr("Feedback form: %1, %2").arg(q(feedbackFormWords(f.kind)).toLower(),
                                                                                         q(feedbackMethodWords(f.method)))},
                                {QStringLiteral("detail"), QString()},
                                {QStringLiteral("by"), q(f.by)},
                                {QStringLiteral("caution"), q(f.caution)},
                                {QStringLiteral("source"), QString()},
                                {QStringLiteral("kept"), QString()}}});
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.at > b.at; });
    QVariantList out;
    for (auto& l : lines)
        out << l.item;
    return out;
}

QVariantList CaseView::dueItems() const
{
    QVariantList out;
    const auto now = m_now();
    const auto own = [&](std::optional<std::chrono::sys_seconds> at, const std::string& what) {
        if (!at)
            return;
        out << QVariantMap{{QStringLiteral("what"), q(what)},
                           {QStringLiteral("dueWords"), instantWords(q(formatIsoDateTime(*at)))},
                           {QStringLiteral("statusWords"), CaseloadModel::dueInWords(*at, now)},
                           {QStringLiteral("overdue"), *at < now},
                           {QStringLiteral("done"), false}};
    };
    own(m_due.firstAttemptDue, "First contact attempt");
    own(m_due.nextContactDue, "Next contact");
    // A feedback form called for and not issued: no deadline (the seeds give none).
    for (const FeedbackFormStatus& f : feedbackFormStatuses(m_case)) {
        if (f.state != FeedbackState::Due && f.state != FeedbackState::MaybeDue)
            continue;
        out << QVariantMap{{QStringLiteral("what"), tr("Feedback form: %1").arg(q(feedbackFormWords(f.kind)).toLower())},
                           {QStringLiteral("dueWords"), tr("no deadline")},
                           {QStringLiteral("statusWords"), f.state == FeedbackState::Due ? tr("To issue")
                                                                                         : tr("To issue if the suspect was charged")},
                           {QStringLiteral("overdue"), false},
                           {QStringLiteral("done"), false}};
    }
    for (const DueItem& i : m_due.items) {
        const bool done = i.status == DueStatus::DoneOnTime || i.status == DueStatus::DoneLate;
        // Never offered as done in a contact: her details sent to victim services before she
        // consented (domestic abuse: only with consent), or after she refused.
        const bool offer = !done && i.status != DueStatus::NotRequired
                        && !(i.duty == VictimDuty::VictimServices && i.status == DueStatus::Waiting);
        out << QVariantMap{{QStringLiteral("what"), q(i.what)},
                           {QStringLiteral("basis"), q(i.basis)},
                           {QStringLiteral("dueWords"), q(i.dueWords)},
                           {QStringLiteral("statusWords"), q(i.statusWords)},
                           {QStringLiteral("overdue"), i.status == DueStatus::Overdue || i.status == DueStatus::DoneLate},
                           {QStringLiteral("done"), done},
                           {QStringLiteral("offer"), offer},
                           {QStringLiteral("duty"), i.duty == VictimDuty::Update ? q("update:" + i.eventId)
                                                                                  : q(std::string(toString(i.duty)))}};
    }
    // What the case's orders ask be done or watched: a hearing, a DAPO's notification, an end near.
    if (m_orderRules && m_calendar) {
        auto orderItems = ordersDueItems(m_case.orders, *m_orderRules, m_calendar->calendar, now);
        if (!orderItems) {
            out << QVariantMap{{QStringLiteral("what"), q(orderItems.error().message)},
                               {QStringLiteral("dueWords"), QString()}, {QStringLiteral("statusWords"), QString()},
                               {QStringLiteral("overdue"), true}, {QStringLiteral("done"), false}};
            return out;
        }
        for (const OrderDueItem& i : *orderItems) {
            const bool done = i.status == DueStatus::DoneOnTime || i.status == DueStatus::DoneLate;
            out << QVariantMap{{QStringLiteral("what"), q(i.what)},
                               {QStringLiteral("dueWords"), q(i.status == DueStatus::CannotTell ? i.problem : i.dueWords)},
                               {QStringLiteral("statusWords"), q(i.statusWords)},
                               {QStringLiteral("overdue"), i.status == DueStatus::Overdue || i.status == DueStatus::DoneLate
                                                               || i.status == DueStatus::CannotTell},
                               {QStringLiteral("done"), done},
                               {QStringLiteral("orderDuty"), q(std::string(toString(i.duty)))}};
        }
    }
    return out;
}

QVariantList CaseView::safety() const
{
    QVariantList out;
    for (const SafetyItem& s : m_case.safety)
        out << QVariantMap{{QStringLiteral("id"), q(s.id)}, {QStringLiteral("text"), q(s.text)},
                           {QStringLiteral("done"), s.done}, {QStringLiteral("by"), q(s.by)}};
    return out;
}

QVariantList CaseView::events() const
{
    QVariantList out;
    for (const CaseEventRecord& e : m_case.events)
        out << QVariantMap{{QStringLiteral("id"), q(e.event.id)},
                           {QStringLiteral("label"), tr("%1 (%2)").arg(q(caseEventWords(e.event.kind)),
                                                                       instantWords(q(formatIsoDateTime(e.event.at))))}};
    return out;
}

}  // namespace vigil::app

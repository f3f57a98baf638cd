import QtQuick
import QtTest
import Vigil
import VigilTest

// Victim casework end to end (issue 24), on an IDVA's laptop: the app is enrolled as an IDVA
// of a partner agency (idva.3310); an officer's tablet (a second real device) refers a victim
// with her consent through a real vigil-server. The caseload lists her with her safe-contact
// rules; the IDVA opens the case, sees text shown disabled with the reason, logs a phone call
// and a safety-plan step, and records the victim's changed answers; the police tablet receives
// the contact. Then feedback forms: an unsafe method shown disabled with the rule, a letter
// recorded and its anonymous response counted, the form at conclusion due once the case is
// closed and handed over at the agency, and the police tablet receiving both. Set
// VIGIL_DESK_SHOTS=DIR to save the screens as PNGs.
TestCase {
    id: root

    property var window: null
    readonly property CaseView view: Casework.current

    function find(name: string): var {
        const item = findChild(window.contentItem, name)
        verify(item !== null, "no item named " + name + " on screen")
        return item
    }
    function typeInto(name: string, text: string) {
        const field = find(name)
        field.forceActiveFocus()
        field.selectAll()
        keyClick(Qt.Key_Backspace)
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i])
    }
    /// Scroll the case's forms so that `name` is near the top (as a user scrolls).
    function scrollFormsTo(name: string): var {
        waitForRendering(window.contentItem)  // a section just shown is laid out first
        const item = find(name)
        const flick = find("caseForms").contentItem
        const p = item.mapToItem(flick.contentItem, 0, 0)
        flick.contentY = Math.max(0, Math.min(p.y - 40, flick.contentHeight - flick.height))
        waitForRendering(window.contentItem)
        return item
    }
    /// Click a control of the case's forms, scrolled into view first.
    function clickInForms(name: string) {
        mouseClick(scrollFormsTo(name))
    }
    /// The reasons shown under the feedback form's methods, in order.
    function feedbackReasons(): var {
        const out = []
        for (let i = 0; ; ++i) {
            const r = findChild(window.contentItem, "feedbackMethodReason_" + i)
            if (r === null)
                return out
            out.push(r.text)
        }
    }
    function shot(name: string) {
        if (Shots.directory === "")
            return
        waitForRendering(window.contentItem)
        verify(Shots.grab(window, name + "-" + window.width + "x" + window.height), "saved " + name)
    }
    function syncAndWait() {
        for (let round = 0; round < 2; ++round) {
            syncRounds.clear()
            SyncStatus.syncNow()
            syncRounds.wait(30000)
        }
        tryVerify(() => SyncStatus.queued === 0 && SyncStatus.state === "idle", 30000)
    }

    SignalSpy {
        id: syncRounds
        target: SyncStatus
        signalName: "finished"
    }

    name: "IdvaCasework"
    when: windowShown

    function initTestCase() {
        const component = Qt.createComponent("qrc:/Vigil/Main.qml")
        compare(component.status, Component.Ready, component.errorString())
        window = component.createObject(null, {width: 1920, height: 1080})
        verify(window)
        window.requestActivate()
        tryCompare(AppController, "stage", AppController.Enrol, 10000)
        mouseClick(find("enrolButton"))
        tryCompare(AppController, "stage", AppController.SetPin, 20000)
        verify(AppController.idva, "the server made this user an IDVA")
        typeInto("newPinField", "582914")
        typeInto("confirmPinField", "582914")
        mouseClick(find("setPinButton"))
        tryCompare(AppController, "stage", AppController.Home, 30000)
    }

    function cleanupTestCase() {
        view.close()
        if (window)
            window.destroy()
    }

    function test_1_the_caseload_lists_a_referred_victim() {
        verify(!find("newDraftButton").visible, "a partner agency never writes a 124D")
        Officer.referToIdva("idva.3310")
        tryCompare(Officer, "busy", false, 60000)
        compare(Officer.error, "")
        syncAndWait()
        tryCompare(Casework.caseload, "count", 1, 30000)
        const cases = Casework.caseload
        compare(cases.data(cases.index(0, 0), CaseloadModel.VictimRole), "Invented Victim")
        compare(cases.data(cases.index(0, 0), CaseloadModel.RiskRole), "high")
        const safe = cases.data(cases.index(0, 0), CaseloadModel.SafeSummaryRole)
        verify(safe.indexOf("Safe: phone, email") === 0, safe)
        verify(safe.indexOf("NOT text, voicemail, visit") > 0, safe)
        const due = cases.data(cases.index(0, 0), CaseloadModel.DueWordsRole)
        verify(due.indexOf("First contact attempt") > 0, due)
        shot("idva-caseload")
    }

    function test_2_log_a_contact_within_the_safe_contact_rules() {
        mouseClick(find("case_0"))
        tryVerify(() => view.victimName === "Invented Victim" && !view.loading, 10000)
        waitForRendering(window.contentItem)
        verify(find("safeContactBanner").visible)
        verify(find("safeSummary").text.indexOf("NOT text") > 0, find("safeSummary").text)
        // Text is unsafe: shown disabled, with the rule in words.
        verify(!find("method_text").enabled, "an unsafe method is disabled")
        verify(find("methodReason_0").visible)
        verify(find("methodReason_0").text.indexOf("Text is unsafe for this victim: the suspect may read the victim's messages") === 0,
               find("methodReason_0").text)
        verify(find("method_phone").enabled)
        clickInForms("method_phone")
        clickInForms("outcome_spoke")
        typeInto("contactNotesField", "Talked through the safety plan. She is staying with her sister.")
        typeInto("contactActionsField", "Refer to the refuge; call back Thursday")
        typeInto("nextContactField", "2026-12-10 11:00")
        shot("idva-case-log-contact")
        clickInForms("logContactButton")
        tryVerify(() => view.timeline.length === 1, 10000, view.message)
        compare(view.status, "contacted")
        verify(view.timeline[0].detail.indexOf("staying with her sister") >= 0, view.timeline[0].detail)
        verify(view.timeline[0].detail.indexOf("Refer to the refuge") >= 0, view.timeline[0].detail)
        compare(view.timeline[0].by, "idva.3310")
        compare(find("contactNotesField").text, "")  // the form is cleared for the next contact
        // A step of the safety plan.
        typeInto("safetyItemField", "Code word agreed with her sister")
        clickInForms("addSafetyItemButton")
        tryVerify(() => view.safety.length === 1, 10000, view.message)
        compare(view.safety[0].text, "Code word agreed with her sister")
        syncAndWait()
        // The police tablet receives the contact, attributed to the IDVA.
        Officer.pull()
        tryCompare(Officer, "busy", false, 60000)
        compare(Officer.error, "")
        verify(Officer.contactsSeen().indexOf("phone spoke by idva.3310") >= 0, Officer.contactsSeen())
    }

    function test_3_the_victim_changes_her_answers() {
        mouseClick(find("changeSafeContact"))
        waitForRendering(window.contentItem)
        verify(find("safeContactEditor").visible)
        find("safe_text").currentIndex = 1  // text: safe now
        typeInto("safeTimesField", "Weekdays 09:00-17:00")
        shot("idva-case-safe-contact")
        mouseClick(find("saveSafeContact"))
        tryVerify(() => view.safeAnswers.text === true, 10000, view.message)
        compare(view.safeAnswers.updatedBy, "idva.3310")
        compare(view.safeAnswers.safeTimes, "Weekdays 09:00-17:00")
        syncAndWait()
    }

    function test_4_an_order_and_its_breach() {
        // A DVPO over 35 days is refused in the core's words; a 28-day one is recorded.
        const box = find("orderKindBox")
        box.currentIndex = box.indexOfValue("dvpo")
        typeInto("orderMadeField", "2026-12-04 10:00")
        typeInto("orderEndsField", "2027-01-08 10:00")
        clickInForms("addOrderButton")
        tryVerify(() => view.message.indexOf("A DVPO lasts between 14 and 28 days") >= 0, 10000, view.message)
        compare(view.orders.length, 0)
        typeInto("orderEndsField", "2026-12-31 10:00")  // 28 days, counting the day it was made
        typeInto("orderConditionsField", "Not to enter Invented Road")
        clickInForms("addOrderButton")
        tryVerify(() => view.orders.length === 1, 10000, "busy=" + view.busy + " message=" + view.message + " orders=" + JSON.stringify(view.orders))
        verify(view.orders[0].title.indexOf("DVPO") >= 0 || view.orders[0].title.indexOf("Domestic Violence Protection Order") >= 0,
               view.orders[0].title)
        verify(view.orders[0].countdown.indexOf("Expires in") === 0, view.orders[0].countdown)
        typeInto("breachWhat_0", "Came to the address at night")
        typeInto("breachAction_0", "Arrested for the breach")
        clickInForms("logBreach_0")
        tryVerify(() => view.orders[0].breaches.length === 1, 10000, view.message)
        compare(view.orders[0].breaches[0].what, "Came to the address at night")
        shot("idva-case-orders")
        syncAndWait()
    }

    function test_4b_a_notice_hearing_and_a_dapo_notification_recorded() {
        // A DVPN given now: its hearing is due (the 48-hour clock) and counts among what is due.
        const box = find("orderKindBox")
        box.currentIndex = box.indexOfValue("dvpn")
        typeInto("orderMadeField", "")
        typeInto("orderEndsField", "")
        typeInto("orderConditionsField", "Not to contact the victim")
        typeInto("orderAuthorisedField", "Insp Invented Example")
        clickInForms("addOrderButton")
        tryVerify(() => view.orders.length === 2, 10000, "message=" + view.message)
        verify(view.orders[1].hearingOpen, JSON.stringify(view.orders[1]))
        verify(view.dueItems.some(i => i.orderDuty === "hearing" && !i.done), JSON.stringify(view.dueItems))
        // A time that is not a date is refused with words; blank means now.
        typeInto("orderDutyAt_1", "yesterday")
        clickInForms("recordOrderDuty_1")
        tryVerify(() => view.message.indexOf("is not a date and time") >= 0, 10000, view.message)
        verify(view.orders[1].hearingOpen)
        typeInto("orderDutyAt_1", "")
        clickInForms("recordOrderDuty_1")
        tryVerify(() => !view.orders[1].hearingOpen, 10000, "message=" + view.message)
        verify(view.orders[1].done.indexOf("Hearing held") === 0, view.orders[1].done)
        verify(view.dueItems.some(i => i.orderDuty === "hearing" && i.done), JSON.stringify(view.dueItems))

        // A DAPO: its subject gives the police a name and address within the rules' days.
        box.currentIndex = box.indexOfValue("dapo")
        typeInto("orderMadeField", "")
        typeInto("orderConditionsField", "Not to come within 100 metres of Invented Road")
        typeInto("orderAuthorisedField", "")
        clickInForms("addOrderButton")
        tryVerify(() => view.orders.length === 3, 10000, "message=" + view.message)
        verify(view.orders[2].notificationOpen, JSON.stringify(view.orders[2]))
        verify(find("recordOrderDuty_2").text.indexOf("name and address") >= 0)
        clickInForms("recordOrderDuty_2")
        tryVerify(() => !view.orders[2].notificationOpen, 10000, "message=" + view.message)
        verify(view.orders[2].done.indexOf("Name and address given") === 0, view.orders[2].done)
        shot("idva-case-orders-recorded")
        syncAndWait()
    }

    function test_4c_the_idva_re_assesses_the_risk_with_the_ric() {
        const form = Casework.reassessment
        clickInForms("startReassessment")
        tryVerify(() => form.active, 5000, form.message)
        compare(form.total, 24)
        // Saving with questions unanswered is refused in the core's words.
        const questions = form.questions
        for (let i = 0; i < 3; ++i)
            clickInForms("ric_" + questions[i].id + "_yes")
        tryCompare(form, "answered", 3)
        verify(form.bandWords.indexOf("3 yes so far") === 0, form.bandWords)
        clickInForms("saveReassessment")
        tryVerify(() => form.message.indexOf("answer every question") >= 0, 10000, form.message)
        verify(form.active, "the answers given are kept")
        // Fifteen yes in all: High, as the RIC's 14-or-more rule says.
        for (let i = 3; i < questions.length; ++i)
            clickInForms("ric_" + questions[i].id + (i < 15 ? "_yes" : i === 20 ? "_dont_know" : "_no"))
        tryCompare(form, "answered", 24)
        compare(form.band, "high")
        verify(form.bandWords.indexOf("15 yes") === 0, form.bandWords)
        shot("idva-case-reassessment")
        clickInForms("saveReassessment")
        tryVerify(() => !form.active, 10000, "message=" + form.message + " / " + view.message)
        compare(view.reassessments.length, 1)
        compare(view.reassessments[0].yes, 15)
        compare(view.reassessments[0].by, "idva.3310")
        verify(view.reassessments[0].standing.indexOf("High") >= 0, JSON.stringify(view.reassessments[0]))
        verify(view.riskWords.indexOf("High") >= 0, view.riskWords)
        syncAndWait()
    }

    function test_5_a_feedback_form_goes_only_by_a_safe_method() {
        // No charge is recorded on the IDVA's case and it is open: neither form is due yet.
        scrollFormsTo("feedbackHeading")
        compare(find("feedbackState_after_charge").text, "Not due: no charge is recorded in this case.")
        compare(find("feedbackState_at_conclusion").text, "Not due until the case is closed.")
        compare(view.feedbackIssued.length, 0)
        // Visits and voicemail are unsafe for her: disabled, with the safe-contact rule in words.
        verify(!find("feedbackMethod_visit").enabled, "an unsafe method is disabled")
        verify(!find("feedbackMethod_voicemail").enabled, "an unsafe method is disabled")
        const reasons = feedbackReasons()
        verify(reasons.some(r => r.indexOf("A visit is unsafe for this victim: the suspect may be at the address.") === 0),
               reasons.join(" | "))
        verify(reasons.some(r => r.indexOf("Voicemail is unsafe for this victim") === 0), reasons.join(" | "))
        compare(find("feedbackMethod_visit").Accessible.name.indexOf("A visit: A visit is unsafe"), 0)
        // A letter goes whatever the time (posting it is not a call), with the caution kept.
        verify(find("feedbackMethod_letter").enabled)
        verify(find("feedbackMethod_at_agency").enabled)
        verify(!find("issueFeedbackButton").enabled, "nothing chosen yet")
        clickInForms("feedbackKind_after_charge")
        clickInForms("feedbackMethod_letter")
        verify(find("feedbackMethodCaution").visible)
        verify(find("feedbackMethodCaution").text.indexOf("does not ask whether a letter is safe") >= 0,
               find("feedbackMethodCaution").text)
        verify(find("issueFeedbackButton").enabled)
        scrollFormsTo("feedbackHeading")
        shot("idva-case-feedback-issue")
        clickInForms("issueFeedbackButton")
        tryVerify(() => view.feedbackIssued.length === 1, 10000, view.message)
        verify(view.message.indexOf("Feedback form recorded: after charge, by letter.") === 0, view.message)
        // What was saved, read back from the device's store.
        compare(view.feedbackIssued[0].kind, "after_charge")
        compare(view.feedbackIssued[0].method, "by letter")
        compare(view.feedbackIssued[0].by, "idva.3310")
        verify(view.feedbackIssued[0].caution.indexOf("does not ask whether a letter is safe") >= 0, view.feedbackIssued[0].caution)
        compare(view.feedbackForms[0].state, "issued")
        compare(view.feedbackForms[0].issued, 1)
        compare(view.feedbackForms[0].responses, 0)
        verify(view.timeline.some(t => t.kind === "feedback" && t.title === "Feedback form: after charge, by letter"),
               JSON.stringify(view.timeline))
        compare(view.feedbackForms[1].state, "not_due")  // the one at conclusion still waits
        waitForRendering(window.contentItem)
        verify(find("feedbackState_after_charge").text.indexOf("Issued once on ") === 0, find("feedbackState_after_charge").text)
        compare(find("issueFeedbackButton").enabled, false)  // the choice is cleared for the next form

        // An anonymous response comes back: counted, never more than the forms issued.
        const box = scrollFormsTo("feedbackResponses_after_charge")
        compare(box.to, 1)
        mouseClick(box.up.indicator)
        compare(box.value, 1)
        mouseClick(box.up.indicator)
        compare(box.value, 1)  // one form issued: one response at most
        clickInForms("saveFeedbackResponses_after_charge")
        tryVerify(() => view.feedbackForms[0].responses === 1, 10000, view.message)
        compare(view.message, "Recorded: anonymous responses received to the form \"after charge\": 1.")

        // The case is closed: the form at conclusion falls due, in the section and under Due,
        // with no deadline (the seeds give none). Handed over at the agency, it is issued.
        const status = scrollFormsTo("caseStatusBox")
        status.currentIndex = status.indexOfValue("closed")
        clickInForms("setStatusButton")
        tryCompare(view, "status", "closed", 10000)
        compare(view.feedbackForms[1].state, "due")
        waitForRendering(window.contentItem)
        verify(find("feedbackState_at_conclusion").text.indexOf("Due: the case is closed (") === 0,
               find("feedbackState_at_conclusion").text)
        verify(view.dueItems.some(i => i.what === "Feedback form: at the conclusion of the case" && i.dueWords === "no deadline"
                                       && i.statusWords === "To issue"), JSON.stringify(view.dueItems))
        scrollFormsTo("feedbackHeading")
        shot("idva-case-feedback-due")
        clickInForms("feedbackKind_at_conclusion")
        clickInForms("feedbackMethod_at_agency")
        verify(!find("feedbackMethodCaution").visible, "the victim came in: nothing to caution")
        clickInForms("issueFeedbackButton")
        tryVerify(() => view.feedbackIssued.length === 2, 10000, view.message)
        compare(view.feedbackIssued[0].kind, "at_conclusion")
        compare(view.feedbackIssued[0].method, "handed over at the agency")
        compare(view.feedbackIssued[0].caution, "")
        compare(view.feedbackForms[1].state, "issued")
        verify(!view.dueItems.some(i => i.what.indexOf("Feedback form") === 0), JSON.stringify(view.dueItems))
        for (const size of [[1920, 1080], [1280, 800], [800, 1280]]) {
            window.width = size[0]
            window.height = size[1]
            waitForRendering(window.contentItem)
            scrollFormsTo("feedbackHeading")
            shot("idva-case-feedback")
        }
        window.width = 1920
        window.height = 1080
        // Support goes on: the case is opened again for the screens that follow.
        const reopen = scrollFormsTo("caseStatusBox")
        reopen.currentIndex = reopen.indexOfValue("supported")
        clickInForms("setStatusButton")
        tryCompare(view, "status", "supported", 10000)
        syncAndWait()
        // The police tablet receives both forms, attributed to the IDVA.
        Officer.pull()
        tryCompare(Officer, "busy", false, 60000)
        compare(Officer.error, "")
        const seen = Officer.feedbackFormsSeen()
        verify(seen.indexOf("after_charge letter by idva.3310") >= 0, seen)
        verify(seen.indexOf("at_conclusion at_agency by idva.3310") >= 0, seen)
    }

    /// Every text input under `item` that can be typed into, shown or not (TextField, TextArea, or
    /// any TextInput/TextEdit; a read-only or disabled one, such as a ComboBox's label, opens no
    /// keyboard).
    function textInputsIn(item, out) {
        if (!item)
            return out
        if (item.readOnly !== undefined && item.cursorPosition !== undefined && typeof item.selectAll === "function") {
            if (!item.readOnly && item.enabled)
                out.push(item)
            return out
        }
        for (let i = 0; i < item.children.length; ++i)
            textInputsIn(item.children[i], out)
        return out
    }

    function test_6_the_case_screens_at_each_size() {
        // Names, addresses and notes are typed on the case page: the on-screen keyboard must
        // neither learn nor suggest them (issue 22).
        const inputs = textInputsIn(window.contentItem, [])
        verify(inputs.length >= 10, "the case page's text inputs were found: " + inputs.length)
        for (const input of inputs)
            verify((input.inputMethodHints & Qt.ImhSensitiveData) && (input.inputMethodHints & Qt.ImhNoPredictiveText),
                   (input.objectName || input.placeholderText || input.toString() + " in " + input.parent) + " tells the keyboard the text is sensitive")
        for (const size of [[1920, 1080], [1280, 800], [800, 1280]]) {
            window.width = size[0]
            window.height = size[1]
            waitForRendering(window.contentItem)
            verify(find("safeContactBanner").visible)
            shot("idva-case")
        }
        mouseClick(find("backToCaseload"))
        tryCompare(view, "caseId", "", 5000)
        for (const size of [[1280, 800], [800, 1280]]) {
            window.width = size[0]
            window.height = size[1]
            waitForRendering(window.contentItem)
            shot("idva-caseload")
        }
        window.width = 1920
        window.height = 1080
    }

    function test_7_a_bank_holiday_the_administrator_adds_moves_a_hearing_after_a_sync() {
        // A DVPN given at 10:00 on Saturday 7 November 2026: its hearing is due 48 hours later, not
        // counting the Sunday, so by 10:00 on the Tuesday. (An IDVA's case has the orders' clock;
        // the Victims' Code items are the investigation's, tests/sync/BankHolidaysSyncTest.cpp.)
        mouseClick(find("case_0"))
        tryVerify(() => view.victimName === "Invented Victim" && !view.loading, 10000)
        const before = view.orders.length
        view.addOrder({kind: "dvpn", madeAt: "2026-11-07T10:00:00Z", expiresAt: "", conditions: "Not to contact the victim",
                       madeBy: "", authorisedBy: "Insp Invented Example"})
        tryVerify(() => view.orders.length === before + 1, 10000, "message=" + view.message)
        const hearings = () => view.dueItems.filter(i => i.orderDuty === "hearing" && !i.done).map(i => i.dueWords)
        tryVerify(() => hearings().indexOf("by 10:00 on Tuesday 10 November 2026") >= 0, 10000, JSON.stringify(hearings()))
        syncAndWait()
        // The administrator makes that Monday a one-off bank holiday, on the server only.
        compare(Admin.importBankHoliday(2, "2026-11-09", "Invented one-off bank holiday"), "")
        // The next sync brings it; the case, opened again, counts it, without a restart.
        syncAndWait()
        mouseClick(find("backToCaseload"))
        tryCompare(view, "caseId", "", 5000)
        // The caseload is read again after every sync (as here, started once the list is kept).
        tryVerify(() => !Casework.busy, 10000)
        Casework.refresh()
        tryVerify(() => !Casework.busy, 10000)
        mouseClick(find("case_0"))
        tryVerify(() => view.victimName === "Invented Victim" && !view.loading, 10000)
        tryVerify(() => hearings().indexOf("by 10:00 on Wednesday 11 November 2026") >= 0, 10000, JSON.stringify(hearings()))
        verify(hearings().indexOf("by 10:00 on Tuesday 10 November 2026") < 0, JSON.stringify(hearings()))
    }
}

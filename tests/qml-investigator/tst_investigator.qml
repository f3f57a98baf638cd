import QtQuick
import QtTest
import Vigil
import VigilTest

// The officer in the case's casework end to end (issue 24), on a CSU investigator's laptop: the
// app is enrolled as dc.2231 (an investigator); an officer's tablet (a second real device)
// submits two crimes of domestic abuse through a real vigil-server, one started on the tablet
// 30 hours ago and one now; a supervisor's desktop (a third) approves both and allocates them to
// dc.2231. The caseload lists both victims, the overdue one first, with their Victims' Code
// items; the case page shows the first contact and needs assessment overdue on one and due on
// the other, text and visits disabled with the victim's reason, an arrest whose "tell the victim
// within 1 working day" falls due and is then done by a logged call, and the charge decision
// "charged" making the after-charge feedback form due. What was saved is read back from the
// app's store (the case is read again after each save) and from the police tablet after a sync.
// Set VIGIL_DESK_SHOTS=DIR to save the screens as PNGs.
TestCase {
    id: root

    property var window: null
    readonly property CaseView view: Casework.current
    property string overdueIncident: ""  // started 30 hours ago: its first contact is overdue
    property string freshIncident: ""    // started now

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
    /// Let the case page lay out what just changed (its layouts polish before the next frame);
    /// at once when nothing did (waitForRendering would wait for a frame that never comes).
    function settle() {
        for (const name of ["caseForms", "caseTimeline"]) {
            const pane = findChild(window.contentItem, name)
            if (pane !== null)
                verify(waitForItemPolished(pane.contentItem.contentItem.children[0]), name + " laid out")
        }
    }
    /// Scroll the case's forms so that `name` is near the top (as a user scrolls).
    function scrollFormsTo(name: string): var {
        settle()  // a section just shown is laid out first
        const item = find(name)
        const flick = find("caseForms").contentItem
        const p = item.mapToItem(flick.contentItem, 0, 0)
        flick.contentY = Math.max(0, Math.min(p.y - 40, flick.contentHeight - flick.height))
        return item
    }
    function clickInForms(name: string) {
        mouseClick(scrollFormsTo(name))
    }
    /// Choose `value` in a combo box of the forms with the keyboard, as a user tabbing through.
    function chooseInForms(name: string, value: string) {
        const box = scrollFormsTo(name)
        box.forceActiveFocus()
        while (box.currentIndex > 0)
            keyClick(Qt.Key_Up)
        for (let i = 0; i < box.count && box.currentValue !== value; ++i)
            keyClick(Qt.Key_Down)
        compare(box.currentValue, value)
    }
    /// The due item whose words start with `what` ({what, statusWords, dueWords, done, duty...}).
    function dueItem(what: string): var {
        const item = view.dueItems.find(i => i.what.indexOf(what) === 0)
        verify(item !== undefined, what + " is not due: " + JSON.stringify(view.dueItems))
        return item
    }
    /// The line under Due on screen for `what`, as the investigator reads it.
    function dueLabel(what: string): var {
        settle()
        const index = view.dueItems.findIndex(i => i.what.indexOf(what) === 0)
        verify(index >= 0, what + " is not due: " + JSON.stringify(view.dueItems))
        return find("dueItem_" + index)
    }
    function dueLine(what: string): string {
        return dueLabel(what).text
    }
    /// Log a contact on the case page: `method`, spoke, with the Victims' Code items `duties`
    /// ticked as dealt with.
    function logCall(method: string, notes: string, duties: var) {
        clickInForms("method_" + method)
        clickInForms("outcome_spoke")
        typeInto("contactNotesField", notes)
        for (const duty of duties)
            clickInForms("duty_" + duty)
        const before = view.timeline.filter(t => t.kind === "contact").length
        clickInForms("logContactButton")
        tryVerify(() => view.timeline.filter(t => t.kind === "contact").length === before + 1, 10000, view.message)
    }
    function openCase(victim: string) {
        const cases = Casework.caseload
        let row = -1
        for (let i = 0; i < cases.count; ++i)
            if (cases.data(cases.index(i, 0), CaseloadModel.VictimRole) === victim)
                row = i
        verify(row >= 0, victim + " is not in the caseload")
        mouseClick(find("case_" + row))
        tryVerify(() => view.victimName === victim && !view.loading, 10000, view.message)
        settle()
    }
    function backToCaseload() {
        mouseClick(find("backToCaseload"))
        tryCompare(view, "caseId", "", 5000)
    }
    function shot(name: string) {
        if (Shots.directory === "")
            return
        settle()
        waitForRendering(window.contentItem, 1000)  // drawn (the grab draws it again if not)
        verify(Shots.grab(window, name + "-" + window.width + "x" + window.height), "saved " + name)
    }
    function resize(size: var) {
        window.width = size[0]
        window.height = size[1]
        settle()
        // On a case page, the timeline and what is due sit beside the forms on a wide screen
        // and below them on a portrait tablet, each as wide as its words need.
        const forms = findChild(window.contentItem, "caseForms")
        if (forms === null)
            return
        const side = find("caseTimeline")
        const where = () => ": forms " + [forms.x, forms.y, forms.width, forms.height] + ", timeline "
                            + [side.x, side.y, side.width, side.height]
        // (the page lays itself out for the new size as the next frame is drawn)
        if (size[0] >= 1100)
            tryVerify(() => side.y === forms.y && side.x >= forms.x + forms.width && side.x + side.width <= window.width, 5000,
                      "the timeline beside the forms at " + size + where())
        else
            tryVerify(() => side.x === forms.x && side.y >= forms.y + forms.height && side.width === forms.width
                            && forms.width <= window.width, 5000, "the timeline below the forms at " + size + where())
        settle()
        // Nothing on the forms is wider than they are (a long line wraps).
        const column = forms.contentItem.contentItem.children[0]
        for (let i = 0; i < column.children.length; ++i) {
            const item = column.children[i]
            verify(!item.visible || item.width <= forms.availableWidth + 0.5,
                   item + " " + item.objectName + " is " + item.width + " wide on forms " + forms.availableWidth + " wide at " + size)
        }
    }
    /// Sync, and check the server took every change.
    function syncAndWait() {
        for (let round = 0; round < 2; ++round) {
            syncRounds.clear()
            SyncStatus.syncNow()
            syncRounds.wait(30000)
        }
        tryVerify(() => SyncStatus.queued === 0 && SyncStatus.state === "idle", 30000, SyncStatus.detail)
        verify(SyncStatus.detail.indexOf("refused by the server") < 0, SyncStatus.detail)
    }
    function waitFor(device: var) {
        tryCompare(device, "busy", false, 60000)
        compare(device.error, "")
    }

    SignalSpy {
        id: syncRounds
        target: SyncStatus
        signalName: "finished"
    }

    name: "InvestigatorCasework"
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
        verify(AppController.caseworker, "the server made this user an investigator")
        verify(!AppController.idva && !AppController.supervisor)
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

    function test_1_allocated_cases_reach_the_investigators_caseload() {
        verify(find("myCasesTab").visible, "an investigator has My cases beside My 124Ds")
        compare(Casework.caseload.count, 0)
        // The tablet's older report first: its clock never stamps below what it stamped before.
        Officer.submitCrime("Invented Victim", 30)
        waitFor(Officer)
        overdueIncident = Officer.lastIncident
        Officer.submitCrime("Invented Second Victim", 0)
        waitFor(Officer)
        freshIncident = Officer.lastIncident
        verify(overdueIncident !== "" && freshIncident !== "" && overdueIncident !== freshIncident)
        for (const id of [overdueIncident, freshIncident]) {
            Supervisor.approveAndAllocate(id, "dc.2231", "DC Invented Example", "Contact the victim today; the suspect is wanted.")
            waitFor(Supervisor)
        }
        syncAndWait()
        tryCompare(Casework.caseload, "count", 2, 30000)

        // The overdue case first, then the one due tomorrow; each with her safe-contact rules.
        const cases = Casework.caseload
        const line = (row, role) => cases.data(cases.index(row, 0), role)
        compare(line(0, CaseloadModel.VictimRole), "Invented Victim")
        compare(line(1, CaseloadModel.VictimRole), "Invented Second Victim")
        compare(line(0, CaseloadModel.KindRole), "investigation")
        compare(line(0, CaseloadModel.StatusRole), "Referred, not yet contacted")  // nothing done in it yet
        compare(line(0, CaseloadModel.RiskRole), "standard")
        compare(line(0, CaseloadModel.OverdueRole), true)
        compare(line(1, CaseloadModel.OverdueRole), false)
        for (const row of [0, 1]) {
            const safe = line(row, CaseloadModel.SafeSummaryRole)
            compare(safe, "Safe: phone, email · NOT text, voicemail, visit")
        }
        verify(/^Overdue by 6 hours: First contact attempt$/.test(line(0, CaseloadModel.DueWordsRole)),
               line(0, CaseloadModel.DueWordsRole))
        verify(/^Due in 2[34] hours: First contact attempt$/.test(line(1, CaseloadModel.DueWordsRole)),
               line(1, CaseloadModel.DueWordsRole))
        // On screen: the tab counts the overdue case, the first line says what is overdue.
        verify(waitForItemPolished(find("caseloadList")), "the caseload laid out")
        compare(find("myCasesTab").text, "My cases (1 overdue)")
        compare(find("caseloadSummary").text, "2 cases · 1 overdue")
        compare(find("caseDue_0").text, line(0, CaseloadModel.DueWordsRole))
        verify(find("caseDue_0").font.bold, "an overdue line stands out")
        compare(find("caseDue_1").text, line(1, CaseloadModel.DueWordsRole))
        shot("investigator-caseload-overdue")
    }

    function test_2_the_first_contact_and_needs_assessment_are_due_or_overdue() {
        // The case reported now: the first contact and needs assessment due within 24 hours,
        // victim services waiting for her consent (domestic abuse).
        openCase("Invented Second Victim")
        compare(view.kind, "investigation")
        for (const what of ["First contact with the victim", "Assess the victim's needs"]) {
            const item = dueItem(what)
            verify(/^Due in 2[34] hours$/.test(item.statusWords), what + ": " + item.statusWords)
            verify(item.dueWords.indexOf("by ") === 0, item.dueWords)
            verify(!item.overdue && !item.done)
            compare(dueLine(what), what + " — " + item.statusWords + " (" + item.dueWords + ")")
        }
        verify(dueItem("Send the victim's details to victim services").statusWords.indexOf("Waiting for the victim's consent") === 0)
        compare(view.events.length, 0)
        backToCaseload()

        // The case reported 30 hours ago: both overdue by 6 hours, shown in bold.
        openCase("Invented Victim")
        verify(find("safeContactBanner").visible)
        compare(find("safeSummary").text, "Safe contact: Safe: phone, email · NOT text, voicemail, visit")
        for (const what of ["First contact attempt", "First contact with the victim", "Assess the victim's needs"]) {
            const item = dueItem(what)
            verify(/^Overdue by 6 hours$/.test(item.statusWords), what + ": " + item.statusWords)
            verify(item.overdue && !item.done)
            verify(dueLine(what).indexOf(what + " — Overdue by ") === 0, dueLine(what))
            verify(dueLabel(what).font.bold, what + " stands out")
        }
        // An investigation records events (what the victim must be told of) and her consent.
        verify(find("eventKindBox").visible)
        verify(find("servicesConsentYes").visible && find("servicesConsentNo").visible)
        verify(!find("servicesConsentYes").checked && !find("servicesConsentNo").checked, "not asked yet")
        verify(find("servicesConsentState").text.indexOf("not asked yet") >= 0, find("servicesConsentState").text)
        compare(find("feedbackState_after_charge").text, "Not due: no charge is recorded in this case.")
        for (const size of [[1920, 1080], [1280, 800], [800, 1280]]) {
            resize(size)
            verify(find("safeContactBanner").visible)
            shot("investigator-case-overdue")
        }
        resize([1920, 1080])
    }

    function test_3_an_unsafe_method_is_disabled_with_the_reason_and_a_call_is_logged() {
        // Text, voicemail and visits are unsafe for her: disabled, each with the rule in words.
        scrollFormsTo("method_phone")
        for (const m of ["text", "voicemail", "visit"])
            verify(!find("method_" + m).enabled, m + " is unsafe: disabled")
        verify(find("method_phone").enabled && find("method_email").enabled)
        const reasons = []
        for (let i = 0; findChild(window.contentItem, "methodReason_" + i) !== null; ++i)
            reasons.push(find("methodReason_" + i).text)
        verify(reasons.some(r => r.indexOf("Text is unsafe for this victim: the suspect may read the victim's messages") === 0),
               reasons.join(" | "))
        verify(reasons.some(r => r.indexOf("A visit is unsafe for this victim") === 0), reasons.join(" | "))
        verify(find("method_text").Accessible.name.indexOf("Text: Text is unsafe") === 0, find("method_text").Accessible.name)
        // A click on the disabled method chooses nothing: nothing can be logged by text.
        mouseClick(find("method_text"))
        verify(!find("logContactButton").enabled, "no method chosen")
        shot("investigator-case-unsafe-method")

        // A call: she is spoken to and her needs assessed (ticked as done in this contact).
        logCall("phone", "Spoke to her at her sister's. Needs: a refuge place and a panic alarm.", ["needs_assessment"])
        compare(view.status, "contacted")
        const call = view.timeline.find(t => t.kind === "contact")
        compare(call.by, "dc.2231")
        compare(call.title, "Phone · Spoke with the victim")
        verify(call.detail.indexOf("a refuge place and a panic alarm") >= 0, call.detail)
        // Both done, 6 hours late; the attempt is no longer due.
        for (const what of ["First contact with the victim", "Assess the victim's needs"]) {
            const item = dueItem(what)
            verify(item.done, what)
            verify(/^Done 6 hours late$/.test(item.statusWords), what + ": " + item.statusWords)
        }
        verify(!view.dueItems.some(i => i.what === "First contact attempt"), JSON.stringify(view.dueItems))
        // Her details go to victim services only with her consent: until she gives it, the
        // form does not offer them as sent.
        verify(dueItem("Send the victim's details to victim services").statusWords.indexOf("Waiting for the victim's consent") === 0)
        compare(findChild(window.contentItem, "duty_victim_services"), null)
        // She first says no: recorded at once (one tap), and the item is not chased.
        clickInForms("servicesConsentNo")
        tryVerify(() => view.servicesConsentRefused, 10000, view.message)
        compare(view.message, "Recorded: the victim does not agree to her details going to victim services.")
        verify(find("servicesConsentNo").checked && !find("servicesConsentYes").checked)
        compare(find("servicesConsentState").text, "Victim services: she does not agree to her details going to them.")
        compare(dueItem("Send the victim's details to victim services").statusWords,
                "Not to be sent: the victim did not consent")
        compare(findChild(window.contentItem, "duty_victim_services"), null)
        scrollFormsTo("servicesConsentState")
        shot("investigator-consent-refused")
        // She changes her mind and agrees: due within 2 working days of her consent (it came
        // after the report).
        clickInForms("servicesConsentYes")
        tryVerify(() => view.servicesConsent, 10000, view.message)
        verify(!view.servicesConsentRefused)
        verify(find("servicesConsentYes").checked && !find("servicesConsentNo").checked)
        compare(view.message, "Recorded: the victim agrees to her details going to victim services.")
        const services = dueItem("Send the victim's details to victim services")
        compare(services.basis, "2 working days after the victim's consent")
        verify(services.statusWords.indexOf("Due in ") === 0, services.statusWords)
        verify(services.dueWords.indexOf("by the end of ") === 0, services.dueWords)
        verify(scrollFormsTo("duty_victim_services").visible, "offered once she consents")
        // The caseload no longer counts her case overdue.
        tryCompare(Casework.caseload, "overdueCount", 0, 10000)
        syncAndWait()
    }

    function test_4_an_arrest_is_told_to_the_victim_within_one_working_day() {
        chooseInForms("eventKindBox", "arrest")
        clickInForms("addEventButton")
        tryVerify(() => view.events.length === 1, 10000, view.message)
        verify(view.message.indexOf("Recorded.") === 0, view.message)
        const arrest = view.timeline.find(t => t.kind === "event")
        compare(arrest.title, "the arrest")
        compare(arrest.by, "dc.2231")
        // Told within 1 working day (enhanced rights): due by the end of the next working day.
        const tell = dueItem("Tell the victim about the arrest")
        verify(!tell.done && !tell.overdue)
        verify(tell.statusWords.indexOf("Due in ") === 0, tell.statusWords)
        verify(tell.dueWords.indexOf("by the end of ") === 0, tell.dueWords)
        verify(tell.duty.indexOf("update:") === 0, tell.duty)
        compare(dueLine("Tell the victim about the arrest"), "Tell the victim about the arrest — " + tell.statusWords + " ("
                + tell.dueWords + ")")
        compare(dueItem("Ask the victim's views before the custody decision").statusWords, "Due before the custody decision")
        compare(dueLine("Ask the victim's views before the custody decision"),
                "Ask the victim's views before the custody decision — Due before the custody decision")  // said once
        // The contact form offers it as something this contact can deal with.
        const told = scrollFormsTo("duty_" + tell.duty)
        compare(told.text, "Done in this contact: Tell the victim about the arrest")
        verify(!told.checked)
        shot("investigator-case-arrest")

        // She is told, by email (safe for her): the item is done on time.
        logCall("email", "Told her of the arrest and that he is in custody.", [tell.duty])
        const done = dueItem("Tell the victim about the arrest")
        verify(done.done, JSON.stringify(done))
        compare(done.statusWords, "Done on time")
        compare(dueLine("Tell the victim about the arrest"), "Tell the victim about the arrest — Done on time")
        verify(findChild(window.contentItem, "duty_" + tell.duty) === null, "a done item is not offered again")
        syncAndWait()

        // What was saved reached the police tablet that owns the 124D: the event, and the
        // contacts with the items they dealt with.
        Officer.pull()
        waitFor(Officer)
        verify(Officer.caseEventsSeen().indexOf("arrest by dc.2231") >= 0, Officer.caseEventsSeen())
        const duties = Officer.contactDutiesSeen()
        verify(duties.indexOf("phone spoke by dc.2231: needs_assessment") >= 0, duties)
        verify(duties.indexOf("email spoke by dc.2231: " + tell.duty) >= 0, duties)
    }

    function test_5_the_charge_decision_charged_makes_the_after_charge_form_due() {
        compare(view.feedbackForms[0].kind, "after_charge")
        compare(view.feedbackForms[0].state, "not_due")
        chooseInForms("eventKindBox", "charge_decision/charged")
        compare(find("eventKindBox").currentText, "the charge decision: charged")
        clickInForms("addEventButton")
        tryVerify(() => view.events.length === 2, 10000, view.message)
        verify(view.timeline.some(t => t.kind === "event" && t.title === "the charge decision: charged"),
               JSON.stringify(view.timeline))
        // The form after charge is due, in its section and under Due (no deadline).
        compare(view.feedbackForms[0].state, "due")
        scrollFormsTo("feedbackHeading")
        verify(find("feedbackState_after_charge").text.indexOf("Due: the suspect was charged (") === 0,
               find("feedbackState_after_charge").text)
        compare(dueLine("Feedback form: after charge"), "Feedback form: after charge — To issue (no deadline)")
        // The charge is something to tell her of; the custody decision is made.
        const tell = dueItem("Tell the victim about the charge decision")
        verify(tell.statusWords.indexOf("Due in ") === 0, tell.statusWords)
        verify(!view.dueItems.some(i => i.what === "Ask the victim's views before the custody decision"),
               JSON.stringify(view.dueItems))
        for (const size of [[1920, 1080], [1280, 800], [800, 1280]]) {
            resize(size)
            scrollFormsTo("feedbackHeading")
            shot("investigator-case-charged")
        }
        resize([1920, 1080])
        syncAndWait()
        Officer.pull()
        waitFor(Officer)
        verify(Officer.caseEventsSeen().indexOf("charge_decision charged by dc.2231") >= 0, Officer.caseEventsSeen())
    }

    function test_6_the_caseload_at_each_size() {
        backToCaseload()
        tryCompare(Casework.caseload, "count", 2, 10000)
        const cases = Casework.caseload
        const statuses = {}
        for (let i = 0; i < cases.count; ++i)
            statuses[cases.data(cases.index(i, 0), CaseloadModel.VictimRole)] = cases.data(cases.index(i, 0), CaseloadModel.StatusRole)
        compare(statuses["Invented Victim"], "Contacted")
        compare(statuses["Invented Second Victim"], "Referred, not yet contacted")
        for (const size of [[1920, 1080], [1280, 800], [800, 1280]]) {
            resize(size)
            verify(find("caseloadList").visible)
            shot("investigator-caseload")
        }
        resize([1920, 1080])
    }

    // Issue 25, the record first: the officer in the case opens the 124D and records the crime's
    // outcome on its Review page, through the same controls as a supervisor; the station accepts
    // it (nothing refused) and the app's store holds it. Closing stays a supervisor's.
    function test_7_the_officer_in_the_case_records_the_crimes_outcome() {
        const editor = Draft.editor
        Draft.open(freshIncident)
        tryVerify(() => editor.incidentId === freshIncident && !editor.loading, 10000)
        compare(editor.state, "under_investigation")
        find("wizard").goTo(IncidentEditor.ReviewSection)
        waitForRendering(window.contentItem)
        tryVerify(() => Draft.outcome.mayRecord && Draft.outcome.crime, 5000)
        verify(!editor.mayDecide("close"), "the officer in the case does not close the 124D: a supervisor does")
        const section = find("wizard").sectionItem(IncidentEditor.ReviewSection)
        const box = find("outcomeResultBox")
        section.ensureVisible(box)
        box.forceActiveFocus()
        keyClick(Qt.Key_Down)  // not decided yet, then charged
        compare(box.currentValue, "charged")
        typeInto("outcomeDecidedOnField", "2026-12-01")
        const record = find("recordOutcomeButton")
        section.ensureVisible(record)
        waitForRendering(window.contentItem)
        mouseClick(record)
        tryVerify(() => Draft.outcome.stored.result === "charged", 10000, Draft.outcome.message)
        compare(Draft.outcome.stored.decidedOn, "2026-12-01")
        verify(Draft.outcome.recordedWords.indexOf("Recorded by dc.2231") === 0, Draft.outcome.recordedWords)
        shot("investigator-outcome")
        syncAndWait()  // the station accepts it: nothing refused
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
    }
}

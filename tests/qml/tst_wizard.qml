import QtQuick
import QtTest
import Vigil
import VigilTest

// The 124D wizard through the real screens, the real store and a real vigil-server: a 124D
// completed to high risk and submitted; a raised grade without a reason refused; children
// without a MERLIN PAC reference listed, the tap landing on the field; a 124D returned by a
// supervisor's own device shows its notes; referrals to partner agencies added, edited and
// removed on the screen are saved and there when the 124D is opened again; a referral without
// consent made once the lawful basis and why it applies are typed. Runs after tst_officer_flows.qml (same app:
// enrolled, PIN set, unlocked). Functions run in order.
TestCase {
    id: root

    property var window: null
    property string submittedId: ""
    readonly property IncidentEditor editor: Draft.editor

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
    /// Scroll the item into view in the section on screen, then tap it.
    function tap(name: string) {
        const item = find(name)
        wizard().sectionItem(wizard().currentSection).ensureVisible(item)
        wait(30)
        mouseClick(item)
    }
    function wizard(): var {
        return find("wizard")
    }
    function goTo(section: int) {
        wizard().goTo(section)
        compare(wizard().currentSection, section)
        wait(50)  // let the section lay out before clicking in it
    }
    function newWizard() {
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        mouseClick(find("newDraftButton"))
        tryVerify(() => editor.incidentId !== "" && !editor.loading, 10000)
        compare(editor.state, "draft")
        compare(wizard().currentSection, IncidentEditor.IncidentSection)
    }
    function addVictim(name: string) {
        goTo(IncidentEditor.VictimsSection)
        tap("addVictimButton")
        tryCompare(editor, "victimCount", 1, 5000)
        typeInto("victimNameField", name)
    }
    function problemRow(field: string): int {
        for (let i = 0; i < editor.problems.count; ++i) {
            if (editor.problems.get(i).field === field)
                return i
        }
        return -1
    }
    function submitAndWait() {
        goTo(IncidentEditor.ReviewSection)
        tap("submitButton")
        // A confirmation says what happens next; nothing is sent until it is accepted.
        const dialog = wizard().sectionItem(IncidentEditor.ReviewSection).confirmDialog
        tryVerify(() => dialog.opened, 2000)
        const confirm = findChild(dialog.footer, "confirmSubmitButton")
        verify(confirm !== null, "the confirmation has its Submit button")
        verify(!editor.submitting, "not submitted before the confirmation")
        mouseClick(confirm)
        tryVerify(() => !dialog.visible, 2000)
        tryVerify(() => !editor.submitting && editor.submitMessage !== "", 15000)
    }

    name: "Wizard"
    when: windowShown

    function initTestCase() {
        tryCompare(AppController, "stage", AppController.Home, 30000)
        Draft.close()
        const component = Qt.createComponent("qrc:/Vigil/Main.qml")
        compare(component.status, Component.Ready, component.errorString())
        // A landscape tablet (the window otherwise fits the test screen, 800x600 offscreen).
        window = component.createObject(null, {width: 1280, height: 800})
        verify(window)
        window.requestActivate()
        tryVerify(() => window.active, 5000)
        SyncStatus.setOnline(true)
    }

    function cleanupTestCase() {
        Draft.close()
        if (window)
            window.destroy()
    }

    function test_1_complete_to_high_risk_and_submit() {
        newWizard()
        tap("crimeChoice_1")  // a non-crime domestic incident
        tryCompare(editor, "saveState", "saved", 5000)
        addVictim("Invented Person")
        for (const way of ["safePhone", "safeText", "safeVoicemail", "safeEmail", "safeVisit"])
            tap(way + "_0")
        compare(editor.value("victims[0].safe_contact.visit"), true)

        // DASH by keyboard: 14 Yes (not Q4 or Q8, which open sub-questions), the rest No.
        goTo(IncidentEditor.DashSection)
        const dash = find("dashSection")
        dash.forceActiveFocus()
        compare(dash.step, 0)
        const yes = ["q1", "q2", "q3", "q5", "q6", "q7", "q9", "q10", "q11", "q13", "q14", "q15", "q16", "q17"]
        for (let i = 0; i < 27; ++i) {
            const id = dash.question.questionId
            keyClick(yes.indexOf(id) >= 0 ? Qt.Key_Y : Qt.Key_N)
        }
        tryCompare(editor.questions, "answeredCount", 27, 5000)
        compare(editor.risk.yesCount, 14)
        compare(editor.risk.computed, "high")
        compare(find("riskBand").grade, "high", "the risk panel shows High")
        verify(find("riskYesCount").text.indexOf("14") >= 0)
        verify(editor.risk.marac.length > 0, "visible high risk is a MARAC criterion")

        goTo(IncidentEditor.GradeSection)
        tap("officerGrade_2")  // High, as computed: no reason needed
        goTo(IncidentEditor.PositiveActionSection)
        tap("powerOfArrest_0")
        tap("arrestMade_0")
        goTo(IncidentEditor.MaracSection)
        tap("maracDecision_0")  // refer
        tryCompare(editor, "saveState", "saved", 5000)

        submitAndWait()
        compare(editor.problems.count, 0, editor.submitMessage)
        compare(editor.state, "submitted")
        verify(!editor.editable)
        submittedId = editor.incidentId
    }

    function test_2_a_raised_grade_without_a_reason_is_refused() {
        newWizard()
        addVictim("Invented Other")
        goTo(IncidentEditor.GradeSection)
        tryVerify(() => editor.risk.computed === "standard", 5000)
        tap("officerGrade_2")  // High, above the computed Standard
        compare(editor.value("victims[0].grade.officer"), "high")
        submitAndWait()
        compare(editor.state, "draft", "not submitted")
        const row = problemRow("victims[0].grade.officer_reason")
        verify(row >= 0, "the missing reason is listed")
        waitForRendering(wizard())  // the problem list laid out again after the submit
        tap("problem_" + row)
        tryCompare(wizard(), "currentSection", IncidentEditor.GradeSection, 2000)
        tryVerify(() => find("gradeReasonField").activeFocus, 2000)
        typeInto("gradeReasonField", "Threats overheard by neighbours")
        tryCompare(editor, "saveState", "saved", 5000)
        submitAndWait()
        compare(problemRow("victims[0].grade.officer_reason"), -1, "the reason is accepted")
    }

    function test_3_children_without_merlin_pac_jump_to_the_field() {
        goTo(IncidentEditor.ChildrenSection)
        tap("addChildButton")
        tryCompare(editor, "childCount", 1, 5000)
        compare(editor.value("children[0].in_household"), true)
        submitAndWait()
        const row = problemRow("refs.merlin_pac")
        verify(row >= 0, "children in the household need a MERLIN PAC reference")
        verify(find("problem_" + row).text.length > 10)
        waitForRendering(wizard())  // the problem list laid out again after the submit
        tap("problem_" + row)
        tryCompare(wizard(), "currentSection", IncidentEditor.IncidentSection, 2000)
        tryVerify(() => find("merlinPacField").activeFocus, 2000)
    }

    function test_4_a_returned_124D_shows_its_notes() {
        verify(submittedId !== "", "test 1 submitted a 124D")
        Draft.close()
        SyncStatus.syncNow()
        tryVerify(() => SyncStatus.queued === 0 && SyncStatus.state === "idle", 30000)
        Supervisor.returnIncident(submittedId,
                                  "refs.crimint: add the CRIMINT reference for the earlier call-out\n"
                                  + "Check the date of birth with the victim.")
        tryCompare(Supervisor, "busy", false, 60000)
        compare(Supervisor.error, "")
        SyncStatus.syncNow()
        tryVerify(() => Home.incidents.returnedCount > 0, 30000)

        Draft.open(submittedId)
        tryCompare(editor, "state", "returned", 10000)
        verify(editor.editable, "a returned 124D can be changed")
        const banner = find("reviewNoteBanner")
        verify(banner.visible)
        verify(banner.text.indexOf("date of birth") >= 0, banner.text)
        verify(banner.text.indexOf("ds.1907") >= 0, banner.text)
        compare(editor.noteFor("refs.crimint"), "add the CRIMINT reference for the earlier call-out")
        compare(find("crimintBlock").qaNote, "add the CRIMINT reference for the earlier call-out",
                "the note naming a field is beside it")
        verify(find("sectionQaNote").text.indexOf("CRIMINT reference") >= 0, "the section's note names the field by its label")
        verify(banner.text.indexOf("Incident and references: add the CRIMINT") >= 0, "the banner names the section, not the path")
        compare(find("submitButton").text, "Resubmit for review")
    }

    function test_5_referrals_are_added_edited_removed_and_kept() {
        newWizard()
        addVictim("Invented Fourth")
        goTo(IncidentEditor.MaracSection)
        verify(find("noReferrals").visible)
        // A referral discloses: the victim's consent to share is recorded first.
        editor.setChoice(editor.victimPath(editor.currentVictim) + ".consent.share_with_partners", true)
        tap("addReferralButton")
        tryCompare(editor, "referralCount", 1, 5000)
        waitForRendering(wizard())  // the new referral laid out before it is tapped
        tap("referralAgency_0_1")  // IDVA
        tryCompare(editor, "saveState", "saved", 5000)
        compare(editor.value("referrals[0].agency"), "idva")
        verify(find("referralBasis_0").text.indexOf("rest on her consent") >= 0, find("referralBasis_0").text)
        typeInto("referralNotes_0", "Duty IDVA told by phone")
        typeInto("referralDate_0", "2026-01-05")
        tryCompare(editor, "saveState", "saved", 5000)

        tap("addReferralButton")
        tryCompare(editor, "referralCount", 2, 5000)
        waitForRendering(wizard())  // the new referral laid out before it is tapped
        tap("referralAgency_1_2")  // Refuge
        tryCompare(editor, "saveState", "saved", 5000)
        compare(editor.value("referrals[1].agency"), "refuge")
        tap("removeReferral_1")
        tryCompare(editor, "referralCount", 1, 5000)
        tryCompare(editor, "saveState", "saved", 5000)

        // Opened again from the store: the edits are there, the removed one is not.
        const id = editor.incidentId
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        compare(editor.referralCount, 1)
        goTo(IncidentEditor.MaracSection)
        compare(find("referralNotes_0").text, "Duty IDVA told by phone")
        compare(find("referralDate_0").text, "2026-01-05")
        verify(find("referralAgency_0_1").checked, "IDVA is still chosen")

        // A referral without an agency is listed at submission, and the tap lands on it.
        tap("addReferralButton")
        tryCompare(editor, "referralCount", 2, 5000)
        tryCompare(editor, "saveState", "saved", 5000)
        waitForRendering(wizard())
        submitAndWait()
        const row = problemRow("referrals[1].agency")
        verify(row >= 0, "the referral with no agency is listed")
        waitForRendering(wizard())  // the list laid out before scrolling to its last rows
        waitForRendering(wizard())  // the problem list laid out again after the submit
        tap("problem_" + row)
        tryCompare(wizard(), "currentSection", IncidentEditor.MaracSection, 2000)
        tryVerify(() => find("referralAgency_1_0").activeFocus, 2000)
    }

    function test_6_a_referral_without_consent_rests_on_a_lawful_basis_and_why() {
        newWizard()
        addVictim("Invented Fifth")
        editor.setChoice(editor.victimPath(editor.currentVictim) + ".consent.share_with_partners", false)
        goTo(IncidentEditor.MaracSection)
        // No consent and no lawful basis: the button is off and the words say what to record.
        verify(!find("addReferralButton").enabled, "no referral can be added yet")
        verify(find("referralSharing").visible)
        verify(find("referralSharing").text.indexOf("No referral can be made yet") >= 0, find("referralSharing").text)

        goTo(IncidentEditor.VictimsSection)
        typeInto("lawfulBasisField", "Crime and Disorder Act 1998 s.115")
        tryVerify(() => find("sharingStatus").text.indexOf("needs its justification") >= 0, 2000,
                  "the law without why is not enough: " + find("sharingStatus").text)
        typeInto("justificationField", "Very high risk after strangulation; she declined out of fear")
        tryVerify(() => find("sharingStatus").text.indexOf("on a lawful basis: Crime and Disorder Act 1998 s.115") >= 0,
                  2000, find("sharingStatus").text)
        tryCompare(editor, "saveState", "saved", 5000)

        goTo(IncidentEditor.MaracSection)
        verify(find("addReferralButton").enabled, "the referral can be made now")
        verify(!find("referralSharing").visible)
        tap("addReferralButton")
        tryCompare(editor, "referralCount", 1, 5000)
        waitForRendering(wizard())
        tap("referralAgency_0_1")  // IDVA
        tryCompare(editor, "saveState", "saved", 5000)
        verify(find("referralBasis_0").text.indexOf("without the victim's consent, on a lawful basis") >= 0,
               find("referralBasis_0").text)

        // Opened again from the store: the basis and its justification are as typed.
        const id = editor.incidentId
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        compare(editor.value(editor.victimPath(0) + ".consent.lawful_basis"), "Crime and Disorder Act 1998 s.115")
        compare(editor.value(editor.victimPath(0) + ".consent.justification"),
                "Very high risk after strangulation; she declined out of fear")
        compare(editor.value("referrals[0].agency"), "idva")
    }
}

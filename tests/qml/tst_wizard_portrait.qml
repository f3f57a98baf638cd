import QtQuick
import QtTest
import Vigil
import VigilTest

// The 124D on a portrait tablet (800x1280) and turned (issue 27): every control of the header
// and of every section lies inside the window; turning the tablet to landscape and back keeps
// the section picker and the risk button, clear of each other. DASH sub-questions open under
// their main question, are counted apart and are never stepped into; the problem list follows
// the officer's changes; a submitted 124D shows its chosen answers plainly. Runs after
// tst_wizard_fields.qml (same app: enrolled, PIN set, unlocked).
TestCase {
    id: root

    property var window: null
    readonly property IncidentEditor editor: Draft.editor

    function find(name: string): var {
        const item = findChild(window.contentItem, name)
        verify(item !== null, "no item named " + name + " on screen")
        return item
    }
    function wizard(): var {
        return find("wizard")
    }
    function goTo(section: int) {
        wizard().goTo(section)
        compare(wizard().currentSection, section)
        waitForRendering(wizard())
    }
    function tap(name: string) {
        const item = find(name)
        wizard().sectionItem(wizard().currentSection).ensureVisible(item)
        waitForRendering(wizard())
        mouseClick(item)
    }
    function shown(item): bool {
        for (let i = item; i; i = i.parent) {
            if (!i.visible || i.opacity === 0)
                return false
        }
        return true
    }
    /// Buttons, switches, pickers and text inputs under `item` that are on show.
    function controlsIn(item, out) {
        if (!item || !item.visible)
            return out
        const control = typeof item.clicked === "function" || typeof item.selectAll === "function"
                        || (item.popup !== undefined && item.currentIndex !== undefined)
        if (control && item.width > 0 && shown(item)) {
            out.push(item)
            if (typeof item.selectAll === "function" || item.popup !== undefined)
                return out
        }
        for (let i = 0; i < item.children.length; ++i)
            controlsIn(item.children[i], out)
        return out
    }
    function name(item): string {
        return (item.objectName || "") + " \"" + (item.text || item.Accessible.name || "") + "\""
    }
    /// Every control across the window's width (sections scroll up and down, never sideways);
    /// the header's also within its height.
    function checkInside(where: string) {
        const header = controlsIn(wizard().header, [])
        verify(header.length >= (wizard().wide ? 1 : 3), where + ": the header has its controls")
        for (const c of header) {
            const p = c.mapToItem(null, 0, 0)
            verify(p.x >= 0 && p.x + c.width <= window.width + 0.5, where + ": " + name(c) + " is across the window (x " + p.x + ", width " + c.width + ")")
            verify(p.y >= 0 && p.y + c.height <= window.height, where + ": " + name(c) + " is in the window")
        }
        const section = wizard().sectionItem(wizard().currentSection)
        for (const c of controlsIn(section, [])) {
            const p = c.mapToItem(null, 0, 0)
            verify(p.x >= 0 && p.x + c.width <= window.width + 0.5, where + ": " + name(c) + " is across the window (x " + p.x + ", width " + c.width + ")")
        }
        for (const n of ["prevButton", "nextButton"]) {
            const b = find(n)
            const p = b.mapToItem(null, 0, 0)
            verify(p.x >= 0 && p.x + b.width <= window.width + 0.5 && p.y + b.height <= window.height, where + ": " + n + " is in the window")
        }
    }
    function overlap(a, b): bool {
        const pa = a.mapToItem(null, 0, 0)
        const pb = b.mapToItem(null, 0, 0)
        return pa.x < pb.x + b.width && pb.x < pa.x + a.width && pa.y < pb.y + b.height && pb.y < pa.y + a.height
    }
    function turn(w: int, h: int) {
        window.width = w
        window.height = h
        waitForRendering(window.contentItem)
        wait(50)
    }

    name: "WizardPortrait"
    when: windowShown

    function initTestCase() {
        tryCompare(AppController, "stage", AppController.Home, 30000)
        Draft.close()
        const component = Qt.createComponent("qrc:/Vigil/Main.qml")
        compare(component.status, Component.Ready, component.errorString())
        window = component.createObject(null, {width: 800, height: 1280})
        verify(window)
        window.requestActivate()
        tryVerify(() => window.active, 5000)
    }

    function cleanupTestCase() {
        Draft.close()
        if (window)
            window.destroy()
    }

    function test_1_every_control_is_on_a_portrait_screen_and_after_turning() {
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        mouseClick(find("newDraftButton"))
        tryVerify(() => editor.incidentId !== "" && !editor.loading, 10000)
        editor.addVictim()
        tryCompare(editor, "victimCount", 1, 5000)
        verify(!wizard().wide, "800 wide is the narrow layout")
        for (let s = IncidentEditor.IncidentSection; s <= IncidentEditor.ReviewSection; ++s) {
            goTo(s)
            checkInside("portrait, section " + s)
        }
        verify(shown(find("sectionCombo")), "the section picker is there")
        verify(shown(find("riskToggle")), "the risk button is there")
        compare(find("riskToggle").text, "Risk: no answers yet", "no grade before any answer")

        // Turned to landscape and back, with the 124D open.
        turn(1280, 800)
        verify(wizard().wide)
        checkInside("landscape")
        turn(1920, 1080)
        for (let s = IncidentEditor.IncidentSection; s <= IncidentEditor.ReviewSection; ++s) {
            goTo(s)
            checkInside("desktop, section " + s)
        }
        turn(800, 1280)
        verify(!wizard().wide)
        verify(shown(find("sectionCombo")), "the section picker is back after turning")
        verify(shown(find("riskToggle")), "the risk button is back after turning")
        verify(!overlap(find("riskToggle"), find("backButton")), "the risk button is clear of Back")
        checkInside("portrait again")
    }

    function test_2_sub_questions_are_nested_counted_apart_and_never_stepped_into() {
        goTo(IncidentEditor.DashSection)
        const dash = find("dashSection")
        dash.step = 0
        // Q1 to Q3 by keyboard, then Yes to Q4, which opens the HBV and forced marriage questions.
        dash.forceActiveFocus()
        for (let i = 0; i < 3; ++i)
            keyClick(Qt.Key_N)
        compare(dash.question.questionId, "q4")
        keyClick(Qt.Key_Y)
        compare(dash.question.questionId, "q4", "a Yes that opens sub-questions stays on its question")
        compare(find("dashStepLabel").text, "Question 4 of 27")
        verify(find("subQuestions").visible, "the sub-questions show under the question")
        verify(dash.subCount > 0)
        compare(dash.subAnswered, 0)
        const first = editor.questions.get(dash.step + 1).questionId
        const subYes = findChild(find("subAnswers_" + first), "answerYes")
        wizard().sectionItem(IncidentEditor.DashSection).ensureVisible(subYes)
        waitForRendering(wizard())
        mouseClick(subYes)
        tryCompare(dash, "subAnswered", 1, 2000)
        compare(dash.question.questionId, "q4", "answering a sub-question does not move on")
        compare(editor.questions.answeredCount, 4, "sub-questions are not counted with the 27")
        verify(find("subQuestionCount").text.indexOf("1 of " + dash.subCount) === 0, find("subQuestionCount").text)
        // Next goes to the next main question, never into the sub-questions.
        verify(dash.next())
        compare(dash.question.questionId, "q5")
        keyClick(Qt.Key_Y)
        compare(dash.question.questionId, "q6", "a Yes that opens nothing moves on")
        compare(editor.risk.yesCount, 2, "Q4 and Q5: the sub-question's Yes does not count")
        // The jump buttons say each answer in words, not by colour alone.
        verify(find("questionJump_" + editor.questions.indexOf("q5")).text.indexOf("Yes") > 0)
        verify(find("questionJump_" + editor.questions.indexOf("q1")).text.indexOf("No") > 0)
    }

    function test_3_the_problem_list_follows_the_changes() {
        editor.submit()
        tryVerify(() => !editor.submitting && editor.problems.count > 0, 15000)
        let nameProblem = -1
        for (let i = 0; i < editor.problems.count; ++i)
            if (editor.problems.get(i).field === "victims[0].person.name")
                nameProblem = i
        verify(nameProblem >= 0, "the victim's missing name is listed")
        const before = editor.problems.count
        goTo(IncidentEditor.VictimsSection)
        tap("victimNameField")
        for (const c of "Invented Person")
            keyClick(c)
        tryVerify(() => editor.problems.count === before - 1, 3000, "the put-right line leaves the list without a new submit")
        for (let i = 0; i < editor.problems.count; ++i)
            verify(editor.problems.get(i).field !== "victims[0].person.name")
    }

    function test_3b_a_date_of_birth_that_is_not_one_is_said_beside_it_and_moves_nothing() {
        goTo(IncidentEditor.VictimsSection)
        const dob = find("victimDobField")
        const next = find("victimNameField")
        tap("victimDobField")
        for (const c of "07700 900123")
            keyClick(c)
        const phoneField = findChild(wizard().sectionItem(IncidentEditor.VictimsSection), "victimPhoneField")
        const below = phoneField.mapToItem(null, 0, 0).y
        mouseClick(phoneField)   // leaving the date of birth, as an officer going on to the next field
        verify(phoneField.activeFocus)
        const words = findChild(dob.parent.parent, "formatProblem")
        tryVerify(() => words.text.indexOf("YYYY-MM-DD") >= 0, 2000, "the date of birth says what is wrong: " + words.text)
        compare(phoneField.mapToItem(null, 0, 0).y, below, "the field below did not move when the words appeared")
        compare(editor.value("victims[0].person.date_of_birth"), "07700 900123", "the draft keeps what was typed")
    }

    function test_4_a_submitted_124D_shows_its_answers_plainly() {
        // tst_wizard's first 124D came back returned; submitted again, it opens read-only.
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        const list = Home.incidents
        let id = ""
        for (let i = 0; i < list.rowCount() && id === ""; ++i) {
            const idx = list.index(i, 0)
            if (list.data(idx, IncidentListModel.GroupRole) === "returned")
                id = list.data(idx, IncidentListModel.IdRole)
        }
        verify(id !== "", "a returned 124D is on this device")
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        editor.submit()
        tryVerify(() => !editor.submitting && editor.state === "submitted", 15000)
        verify(!editor.editable)
        goTo(IncidentEditor.IncidentSection)
        const crime = find("crimeChoice_1")   // tst_wizard's first 124D: a non-crime incident
        const notCrime = find("crimeChoice_0")
        verify(crime.checked && crime.text.indexOf("✓") === 0, "the chosen answer is marked")
        compare(crime.opacity, 1)
        verify(notCrime.opacity < 1 && notCrime.text.indexOf("✓") < 0, "the other answer is faded, unmarked")
        goTo(IncidentEditor.DashSection)
        const dash = find("dashSection")
        dash.step = 0
        waitForRendering(wizard())
        const chosen = find("answerYes").checked ? find("answerYes") : find("answerNo")
        verify(chosen.checked && chosen.text.indexOf("✓") === 0 && chosen.opacity === 1, "the DASH answer reads plainly")
        verify(find("stateLabel").text.indexOf("Submitted for review") === 0, find("stateLabel").text)
        verify(/V-[0-9A-F]{6}/.test(find("stateLabel").text), "the 124D's short reference shows: " + find("stateLabel").text)
    }
}

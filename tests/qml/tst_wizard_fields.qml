import QtQuick
import QtTest
import Vigil
import VigilTest

// Every field keeps what is typed (issue 27): a new 124D with a victim, a suspect, a child and
// a referral; in every section of the wizard, every text input on screen that the officer may
// type into is found by walking the section (not from a list that could miss one), clicked and
// typed into key by key, as an officer would. The 124D is closed and opened again from the
// store, and each input shows exactly what was typed. The DASH note and the reason a question
// was not asked are covered with their questions answered. Each input tells the on-screen keyboard
// the text is sensitive and not to predict it (issue 22). Runs after tst_wizard.qml (same
// app: enrolled, PIN set, unlocked).
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
        wait(30)
        mouseClick(item)
    }
    /// A text input the user can type into (TextField or TextArea, or any TextInput/TextEdit).
    function isTextInput(item): bool {
        return item.readOnly !== undefined && item.cursorPosition !== undefined && typeof item.selectAll === "function"
    }
    /// Every visible, writable text input under `item`, in the order they are laid out.
    function inputsIn(item, out) {
        if (!item || !item.visible)
            return out
        if (isTextInput(item)) {
            if (!item.readOnly && item.enabled && item.savedWithRecord !== false)
                out.push(item)
            return out
        }
        const kids = []
        for (let i = 0; i < item.children.length; ++i)
            kids.push(item.children[i])
        for (const kid of kids)
            inputsIn(kid, out)
        return out
    }
    function describe(input): string {
        return (input.objectName !== "" ? input.objectName : "(unnamed)") + " / " + (input.Accessible.name || input.placeholderText || "")
    }
    /// What to type: plausible for fields with a known format, so the round trip is of what an
    /// officer would type there.
    function textFor(input, n: int): string {
        const hint = (input.objectName + " " + (input.Accessible.name || "") + " " + (input.placeholderText || "")).toLowerCase()
        if (hint.indexOf("yyyy-mm-ddthh:mm") >= 0)
            return "2026-0" + (1 + n % 9) + "-1" + (n % 10) + "T21:4" + (n % 10)
        if (hint.indexOf("yyyy-mm-dd") >= 0 || hint.indexOf("date") >= 0 || hint.indexOf("birth") >= 0)
            return "2001-0" + (1 + n % 9) + "-1" + (n % 10)
        if (hint.indexOf("phone") >= 0)
            return "07700 9000" + (10 + n)
        if (hint.indexOf("age") >= 0)
            return String(20 + n)
        return "Typed " + n + " ok"
    }
    /// Sections and, for DASH, the step to stand on: the inputs of each visit.
    function visits(): var {
        const dash = find("dashSection")
        const out = []
        for (let s = IncidentEditor.IncidentSection; s <= IncidentEditor.ReviewSection; ++s) {
            if (s === IncidentEditor.DashSection) {
                out.push({section: s, step: 0})  // answered Yes: the note
                out.push({section: s, step: 1})  // Not asked: the reason and the note
            } else {
                out.push({section: s, step: -1})
            }
        }
        return out
    }
    function collect(visit): var {
        goTo(visit.section)
        if (visit.step >= 0) {
            find("dashSection").step = visit.step
            waitForRendering(wizard())
        }
        return inputsIn(wizard().sectionItem(visit.section), [])
    }

    name: "WizardFields"
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
    }

    function cleanupTestCase() {
        Draft.close()
        if (window)
            window.destroy()
    }

    function test_every_field_keeps_what_is_typed() {
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        mouseClick(find("newDraftButton"))
        tryVerify(() => editor.incidentId !== "" && !editor.loading, 10000)
        tap("crimeChoice_0")  // a crime: its fields (offences) show too
        goTo(IncidentEditor.VictimsSection)
        tap("addVictimButton")
        tryCompare(editor, "victimCount", 1, 5000)
        goTo(IncidentEditor.SuspectsSection)
        tap("addSuspectButton")
        tryCompare(editor, "suspectCount", 1, 5000)
        goTo(IncidentEditor.ChildrenSection)
        tap("addChildButton")
        tryCompare(editor, "childCount", 1, 5000)
        editor.setChoice(editor.victimPath(0) + ".consent.share_with_partners", true)
        goTo(IncidentEditor.MaracSection)
        tap("addReferralButton")
        tryCompare(editor, "referralCount", 1, 5000)
        // DASH: the first question answered Yes, the second Not asked (its reason opens).
        goTo(IncidentEditor.DashSection)
        const dash = find("dashSection")
        dash.step = 0
        waitForRendering(wizard())
        tap("answerYes")
        dash.step = 1
        waitForRendering(wizard())
        tap("answerNotAsked")
        tryCompare(editor, "saveState", "saved", 5000)

        const typed = []
        let n = 0
        for (const visit of visits()) {
            const inputs = collect(visit)
            for (let i = 0; i < inputs.length; ++i) {
                const input = inputs[i]
                // Names and addresses are typed here: the on-screen keyboard must not learn them.
                verify((input.inputMethodHints & Qt.ImhSensitiveData) && (input.inputMethodHints & Qt.ImhNoPredictiveText),
                       describe(input) + " tells the keyboard the text is sensitive and not to predict it")
                const text = textFor(input, n++)
                wizard().sectionItem(visit.section).ensureVisible(input)
                waitForRendering(wizard())
                mouseClick(input)
                verify(input.activeFocus, "the tap gave " + describe(input) + " the focus")
                input.selectAll()
                keyClick(Qt.Key_Backspace)
                for (let c = 0; c < text.length; ++c)
                    keyClick(text[c])
                compare(input.text, text, describe(input) + " shows what was typed")
                typed.push({visit: visit, index: i, name: describe(input), text: text})
            }
        }
        verify(typed.length >= 20, "found " + typed.length + " text inputs in the wizard")
        verify(typed.some(t => t.name.indexOf("answerNoteField") === 0), "the DASH note is among them")
        verify(typed.some(t => t.name.indexOf("notAskedReasonField") === 0), "the not-asked reason is among them")
        tryCompare(editor, "saveState", "saved", 5000)

        // Closed and opened again from the store: every input shows what was typed into it.
        const id = editor.incidentId
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        let lastVisit = null
        let inputs = []
        for (const t of typed) {
            if (t.visit !== lastVisit) {
                inputs = collect(t.visit)
                lastVisit = t.visit
            }
            verify(t.index < inputs.length, t.name + " is still on screen")
            compare(describe(inputs[t.index]), t.name)
            compare(inputs[t.index].text, t.text, t.name + " kept what was typed")
        }
    }

    // Issue 22: a change too long for its field waits on screen with words and holds up no
    // other change; a text box stops at the largest value the store keeps (never cutting one
    // short), whatever is pasted into it.
    function test_a_change_too_long_waits_with_words_and_holds_up_no_other() {
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        mouseClick(find("newDraftButton"))
        tryVerify(() => editor.incidentId !== "" && !editor.loading, 10000)
        tap("crimeChoice_0")
        goTo(IncidentEditor.IncidentSection)
        const location = find("locationField")
        mouseClick(location)
        location.insert(0, "x".repeat(5000))  // as a paste: a place is short text, at most 4 KB
        mouseClick(find("cadField"))
        keyClick("4"); keyClick("2")
        tryCompare(editor, "saveState", "failed", 5000)
        verify(editor.saveMessage.indexOf("at most 4 KB") >= 0, editor.saveMessage)
        compare(location.text.length, 5000)  // still on screen, to be shortened

        const offences = find("offencesField")
        wizard().sectionItem(IncidentEditor.IncidentSection).ensureVisible(offences)
        mouseClick(offences)
        offences.insert(0, "yyyy\n".repeat(TextLimits.inputChars / 5 + 200))
        compare(offences.length, TextLimits.inputChars)
        verify(offences.full && offences.activeFocus, "the box says it is full")
        offences.selectAll()
        offences.remove(0, offences.length)

        mouseClick(location)
        location.selectAll()
        location.remove(0, location.length)
        location.insert(0, "Mare Street")
        mouseClick(find("cadField"))
        tryCompare(editor, "saveState", "saved", 5000)

        // Opened again: the change made beside the long one was saved all along, and the place
        // once shortened.
        const id = editor.incidentId
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        compare(editor.value("refs.cad"), "42")
        compare(editor.value("incident.location"), "Mare Street")
    }

    /// Choose `value` in a combo box with the keyboard, as a user tabbing through the form.
    function choose(box, value: string) {
        wizard().sectionItem(wizard().currentSection).ensureVisible(box)
        box.forceActiveFocus()
        while (box.currentIndex > 0)
            keyClick(Qt.Key_Up)
        for (let i = 0; i < box.count && box.currentValue !== value; ++i)
            keyClick(Qt.Key_Down)
        compare(box.currentValue, value)
    }

    // Issue 25: a suspect's diversity is on screen beside the victim's, each question answered
    // from the fixed list (rules-diversity.json), and what is chosen is what is saved.
    function test_diversity_is_chosen_from_the_list_for_victims_and_suspects() {
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        mouseClick(find("newDraftButton"))
        tryVerify(() => editor.incidentId !== "" && !editor.loading, 10000)
        goTo(IncidentEditor.VictimsSection)
        tap("addVictimButton")
        tryCompare(editor, "victimCount", 1, 5000)
        goTo(IncidentEditor.SuspectsSection)
        tap("addSuspectButton")
        tryCompare(editor, "suspectCount", 1, 5000)

        // Every question is there for the suspect, unanswered at first.
        for (const key of ["age_band", "gender", "ethnicity", "disability", "religion", "sexual_orientation"]) {
            const box = find("suspect0Diversity_" + key)
            compare(box.currentValue, "", key + " not asked yet")
            compare(box.currentText, "Not asked yet")
        }
        const ethnicity = find("suspect0Diversity_ethnicity")
        compare(ethnicity.count, 18, "not asked yet and the 16+1 self-defined ethnicity list")
        choose(ethnicity, "B2")
        compare(ethnicity.currentText, "Black or Black British: African")
        choose(find("suspect0Diversity_gender"), "male")
        choose(find("suspect0Diversity_religion"), "not_stated")
        tryCompare(editor, "saveState", "saved", 5000)
        compare(editor.value("suspects[0].person.diversity.ethnicity"), "B2")
        compare(editor.value("suspects[0].person.diversity.gender"), "male")
        compare(editor.value("suspects[0].person.diversity.religion"), "not_stated")
        // Screenshots (VIGIL_DESK_SHOTS): the suspect's questions on a tablet both ways round and a desktop.
        if (Shots.directory !== "") {
            for (const size of [[1280, 800], [800, 1280], [1920, 1080]]) {
                window.width = size[0]
                window.height = size[1]
                wait(200)
                wizard().sectionItem(wizard().currentSection).ensureVisible(find("suspect0Diversity_religion"))
                waitForRendering(window.contentItem, 1000)
                verify(Shots.grab(window, "wizard-suspect-diversity-" + size[0] + "x" + size[1]))
            }
            window.width = 1280
            window.height = 800
            wait(200)
        }

        // The victim's, from the same list.
        goTo(IncidentEditor.VictimsSection)
        choose(find("victimDiversity_sexual_orientation"), "bisexual")
        // Choosing "Not asked yet" again clears a wrong answer.
        choose(find("victimDiversity_disability"), "yes")
        choose(find("victimDiversity_disability"), "")
        tryCompare(editor, "saveState", "saved", 5000)
        compare(editor.value(editor.victimPath(0) + ".person.diversity.sexual_orientation"), "bisexual")
        verify(!editor.value(editor.victimPath(0) + ".person.diversity.disability"),
               "cleared: " + editor.value(editor.victimPath(0) + ".person.diversity.disability"))

        // Free text recorded before the list existed is shown as it was, not lost.
        editor.setText(editor.victimPath(0) + ".person.diversity.ethnicity", "White British")
        tryCompare(editor, "saveState", "saved", 5000)
        tryCompare(find("victimDiversity_ethnicity"), "currentText", "As recorded: White British", 5000)

        // Closed and opened again from the store: the answers are what was chosen.
        const id = editor.incidentId
        Draft.close()
        tryCompare(Draft, "incidentId", "", 5000)
        Draft.open(id)
        tryVerify(() => editor.incidentId === id && !editor.loading, 10000)
        goTo(IncidentEditor.SuspectsSection)
        tryCompare(find("suspect0Diversity_ethnicity"), "currentText", "Black or Black British: African", 5000)
        compare(find("suspect0Diversity_gender").currentValue, "male")
        goTo(IncidentEditor.VictimsSection)
        compare(find("victimDiversity_sexual_orientation").currentValue, "bisexual")
        compare(find("victimDiversity_disability").currentValue, "")
    }
}

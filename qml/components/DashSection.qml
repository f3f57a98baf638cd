import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Vigil

// The DASH questions for one victim, one main question per step: large answer buttons, the
// note, the reason when not asked, tick-box options. Sub-questions a main answer opens (honour-
// based violence and forced marriage, stalking) are shown under it on the same step, counted
// apart and never stepped into: Yes / No / Don't know on the main question move on, unless the
// answer has just opened sub-questions, which then wait below it. Every tap is saved at once.
// Keyboard: Y / N / D answer the main question; the wizard's next/previous keys move between
// main questions.
WizardSection {
    id: root

    /// The row (of editor.questions) of the main question on screen; a sub-question's row
    /// given here (a problem's place) shows the main question it belongs to.
    property int step: 0
    readonly property int rowCount: editor.questions.count
    readonly property var question: rowCount > 0 && editor.revision >= 0 ? editor.questions.get(Math.min(step, rowCount - 1)) : null
    /// Past the last sub-question row the question on screen opened (step + 1 when none).
    readonly property int subEnd: {
        if (editor.revision < 0)
            return step + 1
        let i = step + 1
        while (i < rowCount && editor.questions.get(i).group !== "")
            ++i
        return i
    }
    readonly property int subCount: subEnd - step - 1
    readonly property int subAnswered: {
        if (editor.revision < 0)
            return 0
        let n = 0
        for (let i = step + 1; i < subEnd; ++i)
            if (editor.questions.get(i).answer !== "")
                ++n
        return n
    }

    function mainOf(index: int): int {
        let i = Math.max(0, Math.min(index, rowCount - 1))
        while (i > 0 && editor.questions.get(i).group !== "")
            --i
        return i
    }
    function nextMain(index: int): int {
        let i = index + 1
        while (i < rowCount && editor.questions.get(i).group !== "")
            ++i
        return i < rowCount ? i : -1
    }
    function previousMain(index: int): int {
        let i = index - 1
        while (i >= 0 && editor.questions.get(i).group !== "")
            --i
        return i
    }

    onStepChanged: {
        if (rowCount > 0 && step < rowCount && editor.questions.get(step).group !== "")
            step = mainOf(step)
    }

    /// Answer the main question on screen. Yes/No/Don't know move on to the next main
    /// question, unless the answer opened sub-questions: they are answered here first.
    function choose(value: string) {
        if (!question || !editor.editable)
            return
        const id = question.questionId
        editor.setAnswer(editor.currentVictim, id, value)
        const here = editor.questions.indexOf(id)
        step = here
        if (value === "not_asked")
            return
        if (here + 1 < rowCount && editor.questions.get(here + 1).group !== "")
            return
        const n = nextMain(here)
        if (n >= 0)
            step = n
    }
    /// Next main question; false at the last one (the wizard then moves to the next section).
    function next(): bool {
        const n = nextMain(step)
        if (n < 0)
            return false
        step = n
        return true
    }
    function previous(): bool {
        const p = previousMain(step)
        if (p < 0)
            return false
        step = p
        return true
    }

    title: qsTr("DASH risk assessment")
    section: IncidentEditor.DashSection

    VictimTabs { allowAdd: editor.victimCount === 0 }
    Label {
        visible: editor.victimCount === 0
        text: qsTr("Add the victim first: the questions are asked of each victim.")
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    ColumnLayout {
        visible: root.question !== null
        Layout.fillWidth: true
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "dashStepLabel"
                text: qsTr("Question %1 of %2").arg(root.question ? root.question.number : 0).arg(editor.questions.mainCount)
                color: Theme.muted
                Layout.fillWidth: true
            }
            Label {
                objectName: "dashAnsweredLabel"
                text: qsTr("%1 of %2 answered").arg(editor.questions.answeredCount).arg(editor.questions.mainCount)
                color: Theme.muted
            }
        }
        Label {
            objectName: "questionText"
            text: root.question ? root.question.text : ""
            font.pixelSize: 26
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            visible: root.question !== null && root.question.help !== ""
            text: root.question ? root.question.help : ""
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        AnswerButtons {
            id: answers
            property string fieldPath: root.question ? editor.victimPath(editor.currentVictim) + ".dash." + root.question.questionId : ""
            objectName: "answerButtons"
            Layout.fillWidth: true
            answer: root.question ? root.question.answer : ""
            editable: editor.editable
            onChosen: (value) => root.choose(value)
        }
        ColumnLayout {
            property string fieldPath: answers.fieldPath + ".reason"
            function focusInput() { reasonInput.forceActiveFocus() }
            visible: root.question !== null && root.question.answer === "not_asked"
            Layout.fillWidth: true
            Label { text: qsTr("Why was it not asked? (needed)"); font.bold: true }
            EditTextField {
                id: reasonInput
                objectName: "notAskedReasonField"
                key: answers.fieldPath
                stored: root.question ? root.question.reason : ""
                readOnly: !editor.editable
                placeholderText: qsTr("e.g. the suspect came back into the room")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Reason the question was not asked")
                onEdited: (typed) => editor.setAnswerText(editor.currentVictim, root.question.questionId, "reason", typed)
            }
        }
        ColumnLayout {
            property string fieldPath: answers.fieldPath + ".options"
            function focusInput() { if (optionRepeater.count > 0) optionRepeater.itemAt(0).forceActiveFocus() }
            visible: root.question !== null && root.question.options.length > 0
            Layout.fillWidth: true
            Label { text: qsTr("Tick all that apply"); font.bold: true }
            Repeater {
                id: optionRepeater
                model: root.question ? root.question.options : []
                CheckBox {
                    required property var modelData
                    text: modelData.text
                    checked: modelData.ticked
                    enabled: editor.editable && root.question.answer !== ""
                    implicitHeight: Theme.touch
                    Accessible.name: text
                    onToggled: editor.setAnswerOption(editor.currentVictim, root.question.questionId, modelData.id, checked)
                }
            }
        }
        ColumnLayout {
            visible: root.question !== null
            Layout.fillWidth: true
            Label { text: qsTr("Note (what was said, who answered if not the victim)"); font.bold: true }
            EditTextArea {
                id: noteInput
                objectName: "answerNoteField"
                key: answers.fieldPath
                stored: root.question ? root.question.note : ""
                readOnly: !editor.editable || root.question === null || root.question.answer === ""
                placeholderText: root.question && root.question.answer === "" ? qsTr("Answer first, then add a note") : qsTr("Optional note")
                wrapMode: TextEdit.Wrap
                implicitHeight: Theme.touch * 1.5
                Layout.fillWidth: true
                Accessible.name: qsTr("Note for this question")
                onEdited: (typed) => editor.setAnswerText(editor.currentVictim, root.question.questionId, "note", typed)
            }
        }

        // The sub-questions this answer opened, under it, counted apart.
        ColumnLayout {
            objectName: "subQuestions"
            visible: root.subCount > 0
            Layout.fillWidth: true
            spacing: Theme.gap
            SectionHeading {
                text: root.subCount > 0 && root.question ? qsTr("%1: opened by this answer").arg(editor.questions.get(root.step + 1).groupTitle) : ""
            }
            Label {
                objectName: "subQuestionCount"
                text: qsTr("%1 of %2 answered. They do not count toward the Yes total; they tell the MARAC and the investigator more.")
                      .arg(root.subAnswered).arg(root.subCount)
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            // In a positioner, not a layout: the rows are rebuilt when sub-questions open or
            // close, also while this section is hidden (Qt 6.4's layouts crash on that).
            Column {
                id: subColumn
                Layout.fillWidth: true
                spacing: Theme.gap
                Repeater {
                    model: editor.questions
                    ColumnLayout {
                        id: sub
                        required property int index
                        required property string questionId
                        required property string text
                        required property string answer
                        property string fieldPath: editor.victimPath(editor.currentVictim) + ".dash." + questionId
                        function focusInput() { subAnswers.focusInput() }
                        objectName: "subQuestion_" + questionId
                        visible: index > root.step && index < root.subEnd
                        width: subColumn.width
                        spacing: 4
                        Label {
                            text: sub.text
                            font.bold: true
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        AnswerButtons {
                            id: subAnswers
                            objectName: "subAnswers_" + sub.questionId
                            compact: true
                            answer: sub.answer
                            editable: editor.editable
                            Layout.fillWidth: true
                            onChosen: (value) => editor.setAnswer(editor.currentVictim, sub.questionId, value)
                        }
                    }
                }
            }
        }

        Label { text: qsTr("Go to a question"); color: Theme.muted }
        Flow {
            Layout.fillWidth: true
            spacing: 4
            Repeater {
                model: editor.questions
                Button {
                    required property int index
                    required property int number
                    required property string answer
                    required property string group
                    // Not by colour alone: the answer's letter is under the number.
                    readonly property string letter: answer === "yes" ? qsTr("Yes") : answer === "no" ? qsTr("No")
                                                     : answer === "dont_know" ? qsTr("DK") : answer === "not_asked" ? qsTr("NA") : ""
                    objectName: "questionJump_" + index
                    visible: group === ""
                    text: letter === "" ? String(number) : String(number) + "\n" + letter
                    flat: root.step !== index
                    highlighted: root.step === index
                    implicitWidth: 56
                    implicitHeight: 56
                    font.pixelSize: letter === "" ? Theme.fontBody : 13
                    font.bold: answer !== ""
                    Material.foreground: root.step === index ? "white" : "#202124"
                    Accessible.name: qsTr("Question %1, %2").arg(number).arg(answer === "" ? qsTr("not answered") : letter)
                    onClicked: root.step = index
                    background: Rectangle {
                        radius: 4
                        color: root.step === index ? "#1a5fb4" : answer === "yes" ? "#fdecea" : answer !== "" ? "#e6f4ea" : "#f1f3f4"
                        border.color: answer === "yes" ? "#c5221f" : "#9aa0a6"
                        border.width: answer === "yes" ? 2 : 1
                    }
                }
            }
        }
    }
    Item { implicitHeight: Theme.gap }
}

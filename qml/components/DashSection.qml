import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The DASH questions for one victim, one question per step: large answer buttons, the
// note, the reason when not asked, tick-box options, and sub-questions opening where the
// model says. Every tap is saved at once. Keyboard: Y / N / D answer; the wizard's
// next/previous keys move between questions.
WizardSection {
    id: root

    property int step: 0
    readonly property var question: editor.questions.count > 0 && editor.revision >= 0 ? editor.questions.get(Math.min(step, editor.questions.count - 1)) : null
    readonly property int lastStep: editor.questions.count - 1

    /// Answer the question on screen; Yes/No/Don't know move on to the next question.
    function choose(value: string) {
        if (!question || !editor.editable)
            return
        const id = question.questionId
        editor.setAnswer(editor.currentVictim, id, value)
        if (value !== "not_asked")
            step = Math.min(editor.questions.indexOf(id) + 1, lastStep)
    }
    /// Next question; false at the last one (the wizard then moves to the next section).
    function next(): bool {
        if (step >= lastStep)
            return false
        ++step
        return true
    }
    function previous(): bool {
        if (step <= 0)
            return false
        --step
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
                text: root.question && root.question.group !== ""
                      ? qsTr("%1 (opened by the answer above)").arg(root.question.groupTitle)
                      : qsTr("Question %1 of %2").arg(root.question ? root.question.number : 0).arg(editor.questions.mainCount)
                color: Theme.muted
                Layout.fillWidth: true
            }
            Label {
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
        Label {
            visible: root.question !== null && !root.question.verified
            text: qsTr("Wording not yet confirmed by the force: ask in your own words if unsure.")
            color: Theme.muted
            font.italic: true
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            visible: root.question !== null && root.question.group !== ""
            text: qsTr("Sub-questions never count toward the Yes total.")
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
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
                    objectName: "questionJump_" + index
                    text: group === "" ? String(number) : "·"
                    flat: root.step !== index
                    highlighted: root.step === index
                    implicitWidth: 48
                    implicitHeight: 48
                    font.bold: answer !== ""
                    Accessible.name: group === "" ? qsTr("Question %1, %2").arg(number).arg(answer === "" ? qsTr("not answered") : qsTr("answered"))
                                                  : qsTr("Sub-question")
                    onClicked: root.step = index
                    background: Rectangle {
                        radius: 4
                        color: root.step === index ? "#1a5fb4" : answer === "yes" ? "#fdecea" : answer !== "" ? "#e6f4ea" : "#f1f3f4"
                        border.color: "#9aa0a6"
                    }
                }
            }
        }
    }
    Item { implicitHeight: Theme.gap }
}

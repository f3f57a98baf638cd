import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The four DASH answers as large buttons (in poor light, with gloves): Yes, No, Don't
// know, Not asked. The answer is saved the moment it is tapped. Keyboard: Y, N, D.
GridLayout {
    id: root

    property string answer: ""
    property bool editable: true
    /// Smaller buttons, for sub-questions under a main question.
    property bool compact: false
    signal chosen(string value)

    function focusInput() {
        yes.forceActiveFocus()
    }

    columns: compact ? 4 : width > 700 ? 4 : 2
    columnSpacing: Theme.gap
    rowSpacing: Theme.gap

    component AnswerButton: Button {
        property string value
        property string label
        text: (checked ? "✓ " : "") + label
        checkable: root.editable
        checked: root.answer === value
        highlighted: checked
        // Read-only (a submitted 124D, the supervisor's review): the chosen answer stays plain
        // to see, marked and bold, not greyed out like the others.
        opacity: root.editable || checked ? 1 : 0.45
        implicitHeight: root.compact ? Theme.touch : 72
        Layout.fillWidth: true
        font.pixelSize: root.compact ? Theme.fontBody : 22
        font.bold: checked
        Accessible.checked: checked
        onClicked: {
            if (!root.editable)
                return
            checked = Qt.binding(() => root.answer === value)
            root.chosen(value)
        }
    }

    AnswerButton {
        id: yes
        objectName: "answerYes"
        value: "yes"
        label: qsTr("Yes")
        Accessible.name: qsTr("Answer yes")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Yes (Y)")
    }
    AnswerButton {
        objectName: "answerNo"
        value: "no"
        label: qsTr("No")
        Accessible.name: qsTr("Answer no")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("No (N)")
    }
    AnswerButton {
        objectName: "answerDontKnow"
        value: "dont_know"
        label: qsTr("Don't know")
        Accessible.name: qsTr("Answer don't know")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Don't know (D)")
    }
    AnswerButton {
        objectName: "answerNotAsked"
        value: "not_asked"
        label: qsTr("Not asked")
        Accessible.name: qsTr("Not asked: the victim declined or could not answer")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Not asked: a reason is needed")
    }
}

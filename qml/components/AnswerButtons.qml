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
    signal chosen(string value)

    function focusInput() {
        yes.forceActiveFocus()
    }

    columns: width > 700 ? 4 : 2
    columnSpacing: Theme.gap
    rowSpacing: Theme.gap

    component AnswerButton: Button {
        property string value
        checkable: true
        checked: root.answer === value
        highlighted: checked
        enabled: root.editable
        implicitHeight: 72
        Layout.fillWidth: true
        font.pixelSize: 22
        font.bold: checked
        onClicked: {
            checked = Qt.binding(() => root.answer === value)
            root.chosen(value)
        }
    }

    AnswerButton {
        id: yes
        objectName: "answerYes"
        value: "yes"
        text: qsTr("Yes")
        Accessible.name: qsTr("Answer yes")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Yes (Y)")
    }
    AnswerButton {
        objectName: "answerNo"
        value: "no"
        text: qsTr("No")
        Accessible.name: qsTr("Answer no")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("No (N)")
    }
    AnswerButton {
        objectName: "answerDontKnow"
        value: "dont_know"
        text: qsTr("Don't know")
        Accessible.name: qsTr("Answer don't know")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Don't know (D)")
    }
    AnswerButton {
        objectName: "answerNotAsked"
        value: "not_asked"
        text: qsTr("Not asked")
        Accessible.name: qsTr("Not asked: the victim declined or could not answer")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Not asked: a reason is needed")
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Children and dependants, present or not, with ages. Any in the household needs a MERLIN
// PAC reference (in Incident and references).
WizardSection {
    id: root

    title: qsTr("Children and dependants")
    section: IncidentEditor.ChildrenSection

    Repeater {
        model: root.editor.childCount
        Frame {
            required property int index
            readonly property string cp: "children[" + index + "]"
            Layout.fillWidth: true
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                WizardField { fieldPath: cp + ".name"; label: qsTr("Child %1: name").arg(index + 1) }
                ColumnLayout {
                    property string fieldPath: cp + ".age"
                    function focusInput() { ageInput.forceActiveFocus() }
                    Label { text: qsTr("Age in years"); font.bold: true }
                    EditTextField {
                        id: ageInput
                        objectName: "childAge_" + index
                        key: cp + ".age"
                        stored: root.editor.revision >= 0 ? String(root.editor.value(cp + ".age") ?? "") : ""
                        readOnly: !root.editor.editable
                        inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                        validator: IntValidator { bottom: 0; top: 25 }
                        implicitHeight: Theme.touch
                        Accessible.name: qsTr("Age of child %1").arg(index + 1)
                        onEdited: (typed) => root.editor.setChoice(cp + ".age", typed === "" ? null : parseInt(typed))
                    }
                }
                SwitchField { fieldPath: cp + ".in_household"; text: qsTr("Lives in the household") }
                SwitchField { fieldPath: cp + ".present"; text: qsTr("Present at the incident") }
                Button {
                    visible: root.editor.editable
                    text: qsTr("Remove child %1").arg(index + 1)
                    implicitHeight: Theme.touch
                    Accessible.name: text
                    onClicked: root.editor.removeChild(index)
                }
            }
        }
    }
    Button {
        visible: root.editor.editable
        objectName: "addChildButton"
        text: qsTr("Add a child or dependant")
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: root.editor.addChild()
    }
    Item { implicitHeight: Theme.gap }
}

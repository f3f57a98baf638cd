import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The RARA plan for each victim: Remove, Avoid, Reduce, Accept, each action with an owner
// and a due date.
WizardSection {
    id: root

    readonly property var items: editor.revision >= 0 ? editor.raraItems(editor.currentVictim) : []
    readonly property var kinds: [{ value: "remove", label: qsTr("Remove") }, { value: "avoid", label: qsTr("Avoid") },
                                  { value: "reduce", label: qsTr("Reduce") }, { value: "accept", label: qsTr("Accept") }]

    title: qsTr("Managing the risk (RARA)")
    section: IncidentEditor.RaraSection

    VictimTabs { allowAdd: false }
    Label {
        visible: editor.victimCount > 0
        text: qsTr("High-risk victims: consider a personal alarm, an address tag for urgent police response, and regular follow-up contact.")
        wrapMode: Text.Wrap
        color: Theme.muted
        Layout.fillWidth: true
    }
    Repeater {
        model: root.items.length
        Frame {
            required property int index
            readonly property string rp: editor.victimPath(editor.currentVictim) + ".rara[" + index + "]"
            Layout.fillWidth: true
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                ChoiceField { fieldPath: rp + ".kind"; label: qsTr("Action %1").arg(index + 1); options: root.kinds }
                WizardField { fieldPath: rp + ".description"; label: qsTr("What will be done") }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    WizardField { fieldPath: rp + ".owner"; label: qsTr("Owner") }
                    WizardField { fieldPath: rp + ".due"; label: qsTr("Due date"); placeholder: qsTr("YYYY-MM-DD") }
                }
                Button {
                    visible: editor.editable
                    text: qsTr("Remove action %1").arg(index + 1)
                    implicitHeight: Theme.touch
                    Accessible.name: text
                    onClicked: editor.removeRara(editor.currentVictim, index)
                }
            }
        }
    }
    Flow {
        visible: editor.editable && editor.victimCount > 0
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: root.kinds
            Button {
                required property var modelData
                text: qsTr("Add a %1 action").arg(modelData.label)
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: editor.addRara(editor.currentVictim, modelData.value)
            }
        }
    }
    Item { implicitHeight: Theme.gap }
}

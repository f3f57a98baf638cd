import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Suspects: one or more, with date of birth, address and diversity monitoring.
WizardSection {
    id: root

    title: qsTr("Suspects")
    section: IncidentEditor.SuspectsSection

    Repeater {
        model: root.editor.suspectCount
        Frame {
            required property int index
            readonly property string sp: "suspects[" + index + "]"
            Layout.fillWidth: true
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                Label { text: qsTr("Suspect %1").arg(index + 1); font.bold: true }
                WizardField { fieldPath: sp + ".person.name"; label: qsTr("Full name") }
                WizardField { fieldPath: sp + ".person.date_of_birth"; label: qsTr("Date of birth"); placeholder: qsTr("YYYY-MM-DD") }
                WizardField { fieldPath: sp + ".person.address.line"; label: qsTr("Address") }
                WizardField { fieldPath: sp + ".person.address.postcode"; label: qsTr("Postcode") }
                // For the board's figures (DOMAIN.md §8): a suspect's diversity, as a victim's.
                DiversityFields {
                    personPath: sp + ".person"
                    namePrefix: "suspect" + index + "Diversity"
                }
                Button {
                    visible: root.editor.editable
                    text: qsTr("Remove suspect %1").arg(index + 1)
                    implicitHeight: Theme.touch
                    Accessible.name: text
                    onClicked: root.editor.removeSuspect(index)
                }
            }
        }
    }
    Button {
        visible: root.editor.editable
        objectName: "addSuspectButton"
        text: qsTr("Add a suspect")
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: root.editor.addSuspect()
    }
    Item { implicitHeight: Theme.gap }
}

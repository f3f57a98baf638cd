import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Server, device, lock timeout, and the versions and licences Vigil stands on.
Page {
    id: root

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(900, parent.width - 2 * Theme.pageMargin)
            x: Theme.pageMargin
            spacing: Theme.gap / 2

            SectionHeading { text: qsTr("Server") }
            Label { text: qsTr("Address: %1").arg(AppController.serverAddress) }
            Label {
                text: qsTr("Key fingerprint (SPKI SHA-256): %1").arg(AppController.serverPin)
                wrapMode: Text.WrapAnywhere
                Layout.fillWidth: true
                color: Theme.muted
            }

            SectionHeading { text: qsTr("This device") }
            Label { text: qsTr("Device id: %1").arg(AppController.deviceId) }
            Label { text: qsTr("Enrolled for: %1 (%2), %3").arg(AppController.userName).arg(AppController.userRole).arg(AppController.userTeam) }

            SectionHeading { text: qsTr("Security") }
            RowLayout {
                spacing: Theme.gap
                Label { text: qsTr("Lock after this many minutes without use:") }
                ComboBox {
                    id: timeout
                    objectName: "lockTimeout"
                    readonly property var choices: [1, 2, 5, 10, 15, 30]
                    model: choices
                    implicitHeight: Theme.touch
                    currentIndex: Math.max(0, choices.indexOf(AppController.autoLockMinutes))
                    Accessible.name: qsTr("Minutes without use before Vigil locks")
                    onActivated: index => AppController.autoLockMinutes = choices[index]
                }
            }

            SectionHeading { text: qsTr("About Vigil") }
            Repeater {
                model: AppController.about
                delegate: Label {
                    required property var modelData
                    text: qsTr("%1 %2 — %3").arg(modelData.name).arg(modelData.version).arg(modelData.licence)
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
            Label {
                text: qsTr("Vigil keeps every record encrypted on this device and sends it only to the server above. "
                           + "It never shows victims' names on the home screen.")
                wrapMode: Text.Wrap
                color: Theme.muted
                Layout.fillWidth: true
                Layout.bottomMargin: Theme.pageMargin
            }
        }
    }
}

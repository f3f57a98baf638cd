import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Vigil

// Server, device, lock timeout, and the versions and licences Vigil stands on.
Page {
    id: root

    Dialog {
        id: wipeConfirm
        objectName: "wipeConfirm"
        anchors.centerIn: parent
        width: Math.min(640, root.width - 2 * Theme.pageMargin)
        modal: true
        title: qsTr("Wipe Vigil from this device?")

        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.gap
            Label {
                objectName: "wipeUnsent"
                text: AppController.unsentIncidents > 0
                      ? qsTr("%n 124D(s) on this device have not reached the station yet. Wiping now destroys them "
                             + "for good. Sync first if you can.", "", AppController.unsentIncidents)
                      : qsTr("Every 124D on this device has reached the station.")
                color: AppController.unsentIncidents > 0 ? Theme.warning : palette.text
                font.bold: AppController.unsentIncidents > 0
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("The records and keys on this device are destroyed and it must be enrolled again before "
                           + "it can be used. This cannot be undone.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                spacing: Theme.gap
                Button {
                    text: qsTr("Keep my records")
                    implicitHeight: Theme.touch
                    Accessible.name: text
                    onClicked: wipeConfirm.close()
                }
                Button {
                    objectName: "wipeConfirmButton"
                    text: qsTr("Wipe now")
                    implicitHeight: Theme.touch
                    highlighted: true
                    Material.accent: Theme.warning
                    Accessible.name: qsTr("Wipe this device now")
                    onClicked: {
                        wipeConfirm.close()
                        AppController.wipeDevice()
                    }
                }
            }
        }
    }

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
                    // Only what the force's policy allows (AppController.autoLockMaxMinutes, from the server).
                    readonly property var choices: [1, 2, 5, 10, 15, 30, 60].filter(m => m <= AppController.autoLockMaxMinutes)
                    model: choices
                    implicitHeight: Theme.touch
                    currentIndex: Math.max(0, choices.indexOf(AppController.autoLockMinutes))
                    Accessible.name: qsTr("Minutes without use before Vigil locks")
                    onActivated: index => AppController.autoLockMinutes = choices[index]
                }
            }
            Label {
                objectName: "lockPolicy"
                text: qsTr("Your force allows at most %n minute(s): your administrator sets this.", "",
                           AppController.autoLockMaxMinutes)
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            SectionHeading { text: qsTr("Wipe this device") }
            Label {
                text: qsTr("Erase every Vigil record and key from this device, for example before handing it in. "
                           + "Records already at the station are kept there; anything not yet sent is lost.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                objectName: "wipeDevice"
                text: qsTr("Wipe this device…")
                implicitHeight: Theme.touch
                enabled: !AppController.busy
                Material.foreground: Theme.warning
                Accessible.name: qsTr("Wipe this device")
                onClicked: {
                    AppController.countUnsent()
                    wipeConfirm.open()
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

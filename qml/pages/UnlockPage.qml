import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Unlock with the PIN. A wrong PIN shows the attempts left, the lockout time, and before
// the last attempt the wipe warning with the count of 124Ds not yet sent.
Page {
    id: root

    function minutesSeconds(total: int): string {
        const m = Math.floor(total / 60)
        const s = total % 60
        return m + ":" + (s < 10 ? "0" : "") + s
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(Theme.formWidth, parent.width - 2 * Theme.pageMargin)
        spacing: Theme.gap

        Label {
            text: qsTr("Vigil is locked")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            text: qsTr("%1, enter your PIN to open your records.").arg(AppController.userName)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            color: Theme.muted
        }
        PinField {
            id: pinField
            objectName: "unlockPinField"
            placeholderText: qsTr("PIN")
            enabled: AppController.lockoutSeconds === 0 && !AppController.busy
            Layout.fillWidth: true
            focus: true
            KeyNavigation.tab: unlockButton
            Accessible.name: qsTr("PIN")
            onAccepted: unlockButton.clicked()
        }
        Label {
            objectName: "lockoutLabel"
            visible: AppController.lockoutSeconds > 0
            text: qsTr("Too many wrong PINs. You can try again in %1.").arg(root.minutesSeconds(AppController.lockoutSeconds))
            color: Theme.warning
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        MessageBanner {
            objectName: "unlockMessage"
            text: AppController.message
            Layout.fillWidth: true
        }
        Label {
            objectName: "attemptsLabel"
            visible: AppController.failedAttempts > 0 && AppController.attemptsBeforeWipe > 1
            text: qsTr("%n attempt(s) left before this device erases its Vigil data.", "", AppController.attemptsBeforeWipe)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        MessageBanner {
            objectName: "wipeWarning"
            text: AppController.wipeWarning
            Layout.fillWidth: true
        }
        Button {
            id: unlockButton
            objectName: "unlockButton"
            text: AppController.busy ? qsTr("Unlocking…") : qsTr("Unlock")
            enabled: pinField.text.length > 0 && AppController.lockoutSeconds === 0 && !AppController.busy
            highlighted: true
            implicitHeight: Theme.touch
            Layout.fillWidth: true
            Accessible.name: qsTr("Unlock")
            onClicked: {
                AppController.unlock(pinField.text)
                pinField.clear()
            }
        }
        Label {
            visible: AppController.unsentIncidents > 0
            text: qsTr("%n 124D(s) on this device not yet sent to the station.", "", AppController.unsentIncidents)
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
}

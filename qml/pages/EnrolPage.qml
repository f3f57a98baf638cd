import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// First run: trade the one-time code from the administrator for this device's credential.
// The code carries the server's address and its key, so the first connection is pinned.
Page {
    id: root

    readonly property var parsed: AppController.parseCode(codeField.text)

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(Theme.formWidth + 120, parent.width - 2 * Theme.pageMargin)
        spacing: Theme.gap

        Label {
            text: qsTr("Enrol this device")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            text: qsTr("Your administrator gives you a one-time enrolment code (text or QR). Paste or type it below. "
                       + "It names the server this device will send records to, and it can be used only once, for a short time.")
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            color: Theme.muted
        }
        Label {
            text: qsTr("Enrolment code")
            font.bold: true
        }
        PrivateTextArea {
            id: codeField
            objectName: "codeField"
            text: AppController.prefillCode
            placeholderText: qsTr("vigil1:server:port:key:ABC123-…")
            wrapMode: TextEdit.WrapAnywhere
            font.family: "DejaVu Sans Mono"
            Layout.fillWidth: true
            Layout.preferredHeight: 110
            focus: true
            KeyNavigation.tab: nameField
            Accessible.name: qsTr("Enrolment code")
            Keys.onReturnPressed: nameField.forceActiveFocus()
        }
        Label {
            objectName: "codeCheck"
            text: codeField.text.trim() === "" ? qsTr("The code starts with vigil1:")
                  : root.parsed.ok ? qsTr("Server: %1").arg(root.parsed.server) : root.parsed.message
            color: codeField.text.trim() === "" ? Theme.muted : root.parsed.ok ? Theme.standard : Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Name for this device")
            font.bold: true
        }
        PrivateTextField {
            id: nameField
            objectName: "deviceNameField"
            text: qsTr("Vigil tablet")
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            KeyNavigation.tab: enrolButton
            Accessible.name: qsTr("Name for this device")
            onAccepted: enrolButton.clicked()
        }
        MessageBanner {
            objectName: "enrolMessage"
            text: AppController.message
            Layout.fillWidth: true
        }
        Button {
            id: enrolButton
            objectName: "enrolButton"
            text: AppController.busy ? qsTr("Enrolling…") : qsTr("Enrol")
            enabled: root.parsed.ok && !AppController.busy
            highlighted: true
            implicitHeight: Theme.touch
            Layout.fillWidth: true
            Accessible.name: qsTr("Enrol this device")
            onClicked: AppController.enrol(codeField.text, nameField.text)
        }
    }
}

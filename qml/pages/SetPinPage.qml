import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Choose the PIN that protects this device's records. The core's rules decide; a refused
// PIN shows the rule it breaks.
Page {
    id: root

    readonly property string rule: pinField.text === "" ? "" : AppController.checkPin(pinField.text)

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(Theme.formWidth, parent.width - 2 * Theme.pageMargin)
        spacing: Theme.gap

        Label {
            text: qsTr("Choose your PIN")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            text: qsTr("Enrolled as %1 (%2). Your PIN unlocks the records on this device. Use 6 to 12 digits; not one digit repeated, not a run like 123456, not a common PIN.")
                  .arg(AppController.userName).arg(AppController.userRole)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            color: Theme.muted
        }
        PinField {
            id: pinField
            objectName: "newPinField"
            placeholderText: qsTr("New PIN")
            Layout.fillWidth: true
            focus: true
            KeyNavigation.tab: confirmField
            Accessible.name: qsTr("New PIN")
            onAccepted: confirmField.forceActiveFocus()
        }
        Label {
            // Room for two lines is kept while there is nothing to say, so the confirm field
            // does not move down under the finger when the rule appears.
            id: pinRuleLabel
            objectName: "pinRule"
            text: root.rule !== "" && pinField.text.length >= 6 ? root.rule : ""
            color: Theme.warning
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            Layout.fillWidth: true
            Layout.preferredHeight: 2 * pinRuleMetrics.height
            FontMetrics { id: pinRuleMetrics; font: pinRuleLabel.font }
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        PinField {
            id: confirmField
            objectName: "confirmPinField"
            placeholderText: qsTr("The same PIN again")
            Layout.fillWidth: true
            KeyNavigation.tab: setButton
            Accessible.name: qsTr("Confirm PIN")
            onAccepted: setButton.clicked()
        }
        MessageBanner {
            objectName: "setPinMessage"
            text: AppController.message
            Layout.fillWidth: true
        }
        Button {
            id: setButton
            objectName: "setPinButton"
            text: AppController.busy ? qsTr("Protecting your records…") : qsTr("Set PIN")
            enabled: !AppController.busy && pinField.text.length > 0
            highlighted: true
            implicitHeight: Theme.touch
            Layout.fillWidth: true
            Accessible.name: qsTr("Set PIN")
            onClicked: AppController.setPin(pinField.text, confirmField.text)
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The store was erased (too many wrong PINs), or Vigil cannot start (no key store): say
// what happened and what to do.
Page {
    id: root

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(Theme.formWidth + 120, parent.width - 2 * Theme.pageMargin)
        spacing: Theme.gap

        Label {
            text: AppController.stage === AppController.Wiped ? qsTr("Vigil data erased") : qsTr("Vigil cannot start")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        MessageBanner {
            objectName: "fatalMessage"
            text: AppController.message
            Layout.fillWidth: true
        }
        Label {
            visible: AppController.stage === AppController.Wiped
            text: qsTr("This device no longer holds any Vigil records or keys. Ask your administrator for a new enrolment code, then start Vigil again.")
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            text: qsTr("Close Vigil")
            implicitHeight: Theme.touch
            Accessible.name: text
            onClicked: Qt.quit()
        }
    }
}

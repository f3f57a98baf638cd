import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Shown for the moment it takes to read the device's enrolment from the key store.
Page {
    id: root

    ColumnLayout {
        anchors.centerIn: parent
        spacing: Theme.gap
        BusyIndicator {
            running: true
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: qsTr("Opening Vigil…")
            Layout.alignment: Qt.AlignHCenter
        }
    }
}

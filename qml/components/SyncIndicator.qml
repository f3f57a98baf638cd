import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Whether records have reached the station: offline / N waiting / syncing / synced at
// 14:32 / the error in words. Tapping it shows the full story and "Sync now".
Button {
    id: root

    readonly property color dot: {
        switch (SyncStatus.state) {
        case "idle": return SyncStatus.queued > 0 ? "#f9ab00" : "#81c995"
        case "syncing": return "#8ab4f8"
        case "failed": return "#f28b82"
        default: return "#bdc1c6"
        }
    }

    flat: true
    implicitHeight: Theme.touch
    Accessible.name: qsTr("Sync status: %1. Open for details and Sync now.").arg(SyncStatus.text)

    contentItem: RowLayout {
        spacing: 10
        Rectangle {
            Layout.preferredWidth: 14
            Layout.preferredHeight: 14
            radius: 7
            color: root.dot
            border.color: "white"
            border.width: 1
        }
        BusyIndicator {
            visible: SyncStatus.state === "syncing"
            running: visible
            Layout.preferredWidth: 28
            Layout.preferredHeight: 28
        }
        Label {
            objectName: "syncText"
            text: SyncStatus.text
            color: "white"
            elide: Text.ElideRight
            Layout.fillWidth: true
            font.pixelSize: Theme.fontBody
        }
    }

    onClicked: details.open()

    Connections {
        target: AppController
        function onStageChanged() {
            details.close()  // nothing stays open over the unlock screen
        }
    }

    Popup {
        id: details
        y: root.height + 4
        x: Math.min(0, root.width - width)
        width: 460
        padding: Theme.gap
        modal: false
        focus: true

        ColumnLayout {
            width: parent.width
            spacing: Theme.gap
            Label {
                text: SyncStatus.text
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                objectName: "syncDetail"
                text: SyncStatus.detail
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                color: Theme.muted
            }
            Button {
                objectName: "enrolAgainButton"
                visible: SyncStatus.credentialExpired
                text: qsTr("Enter a new enrolment code")
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: {
                    details.close()
                    AppController.enrolAgain()
                }
            }
            Button {
                objectName: "syncNowButton"
                text: qsTr("Sync now")
                highlighted: true
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: {
                    SyncStatus.syncNow()
                    details.close()
                }
            }
        }
    }
}

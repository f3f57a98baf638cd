import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Window
import Vigil

// The window: one page per stage of the app (enrol, set PIN, unlock, home), the sync
// indicator always in the header once unlocked. The controller decides the stage.
ApplicationWindow {
    id: root

    property bool showSettings: false

    // Opens to fit the screen it is on: the whole of a tablet's screen, either way round (a
    // portrait 800x1280 as much as a landscape 1280x800), and the working area of a desktop.
    width: Screen.desktopAvailableWidth > 0 ? Screen.desktopAvailableWidth : 1280
    height: Screen.desktopAvailableHeight > 0 ? Screen.desktopAvailableHeight : 800
    minimumWidth: Math.min(800, width)
    minimumHeight: Math.min(600, height)
    visible: true
    title: qsTr("Vigil")
    font.pixelSize: Theme.fontBody
    Material.theme: Material.Light
    Material.primary: "#1a3a6b"
    Material.accent: "#1a5fb4"

    header: ToolBar {
        visible: AppController.stage === AppController.Home
        height: visible ? Theme.touch + 8 : 0

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.gap
            anchors.rightMargin: Theme.gap / 2
            spacing: Theme.gap

            Label {
                text: root.showSettings ? qsTr("Settings")
                                        : Draft.incidentId !== "" ? qsTr("124D")
                                        : Casework.current.caseId !== "" ? qsTr("Victim's case")
                                        : AppController.figuresOnly ? qsTr("Reports")
                                        : AppController.supervisor ? qsTr("Supervisor's desk")
                                        : AppController.caseworker ? qsTr("My cases") : qsTr("My incidents")
                font.pixelSize: 22
                font.bold: true
                color: "white"
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Item { Layout.fillWidth: true }
            SyncIndicator {
                objectName: "syncIndicator"
                Layout.maximumWidth: 520
            }
            ToolButton {
                objectName: "settingsButton"
                text: root.showSettings ? qsTr("Close settings") : qsTr("Settings")
                implicitHeight: Theme.touch
                Material.foreground: "white"
                Accessible.name: text
                onClicked: root.showSettings = !root.showSettings
            }
            ToolButton {
                objectName: "lockButton"
                text: qsTr("Lock")
                implicitHeight: Theme.touch
                Material.foreground: "white"
                Accessible.name: qsTr("Lock Vigil now")
                onClicked: AppController.lock()
            }
        }
    }

    Loader {
        id: pageLoader
        objectName: "pageLoader"
        anchors.fill: parent
        sourceComponent: {
            switch (AppController.stage) {
            case AppController.Enrol: return enrolPage
            case AppController.SetPin: return setPinPage
            case AppController.Unlock: return unlockPage
            case AppController.Home:
                if (root.showSettings)
                    return settingsPage
                // An analyst or administrator sees figures only (issue 25): no casework at all.
                if (AppController.figuresOnly)
                    return reportsPage
                return Draft.incidentId !== "" ? draftPage : Casework.current.caseId !== "" ? casePage : homePage
            case AppController.Wiped:
            case AppController.Failed: return wipedPage
            default: return startingPage
            }
        }
    }

    Connections {
        target: AppController
        function onStageChanged() {
            if (AppController.stage !== AppController.Home)
                root.showSettings = false
        }
    }

    Component { id: startingPage; StartingPage {} }
    Component { id: enrolPage; EnrolPage {} }
    Component { id: setPinPage; SetPinPage {} }
    Component { id: unlockPage; UnlockPage {} }
    Component { id: homePage; HomePage {} }
    Component { id: draftPage; IncidentWizardPage {} }
    Component { id: casePage; CasePage {} }
    Component { id: settingsPage; SettingsPage {} }
    Component { id: wipedPage; WipedPage {} }
    Component { id: reportsPage; ReportsPage {} }
}

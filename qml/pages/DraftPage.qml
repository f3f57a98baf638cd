import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The start of a 124D: when, where and the CAD reference. Everything typed is saved
// within a second; a lock or a crash loses at most the last second. (The full wizard
// with DASH builds on this page.)
Page {
    id: root

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pageMargin
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "backButton"
                text: qsTr("Back to my incidents")
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: AppController.closeDraft()
            }
            Item { Layout.fillWidth: true }
            Label {
                objectName: "saveState"
                text: AppController.draftSaveState === "saving" ? qsTr("Saving…")
                      : AppController.draftSaveState === "failed" ? qsTr("Not saved — see the message")
                      : qsTr("All changes saved on this device")
                color: AppController.draftSaveState === "failed" ? Theme.warning : Theme.muted
            }
        }
        MessageBanner {
            objectName: "reviewNote"
            warning: true
            text: AppController.draftReviewNote === "" ? "" : qsTr("Returned by your supervisor: %1").arg(AppController.draftReviewNote)
            Layout.fillWidth: true
        }
        MessageBanner {
            text: AppController.message
            Layout.fillWidth: true
        }
        SectionHeading { text: qsTr("Incident") }
        GridLayout {
            columns: 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            Layout.maximumWidth: 900

            Label { text: qsTr("Date and time") }
            TextField {
                id: dateField
                objectName: "dateField"
                text: AppController.draftDate
                readOnly: !AppController.draftEditable
                placeholderText: qsTr("YYYY-MM-DDTHH:MM")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                KeyNavigation.tab: locationField
                Accessible.name: qsTr("Date and time of the incident")
                onTextEdited: AppController.setDraftField("date", text)
                onAccepted: locationField.forceActiveFocus()
            }
            Label { text: qsTr("Location") }
            TextField {
                id: locationField
                objectName: "locationField"
                text: AppController.draftLocation
                readOnly: !AppController.draftEditable
                placeholderText: qsTr("Where it happened")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                KeyNavigation.tab: cadField
                Accessible.name: qsTr("Location of the incident")
                onTextEdited: AppController.setDraftField("location", text)
                onAccepted: cadField.forceActiveFocus()
            }
            Label { text: qsTr("CAD reference") }
            TextField {
                id: cadField
                objectName: "cadField"
                text: AppController.draftCad
                readOnly: !AppController.draftEditable
                placeholderText: qsTr("The emergency call reference")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("CAD reference")
                onTextEdited: AppController.setDraftField("cad", text)
            }
        }
        Label {
            visible: !AppController.draftEditable
            text: qsTr("This 124D is with your supervisor and cannot be changed here.")
            color: Theme.muted
        }
        Item { Layout.fillHeight: true }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The boroughs' "officers failing QA" spreadsheet, kept by the app: per officer, the 124Ds
// checked in the period, how many were returned, the return rate and the sections most often
// returned; below, every return with its notes. Returns made by other supervisors since this
// one last looked are marked new: that is how an officer's line manager is told.
ColumnLayout {
    id: root

    readonly property ReturnsReport report: Desk.returns

    spacing: Theme.gap
    Component.onCompleted: report.refresh()

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.gap
        Label {
            text: qsTr("Period")
        }
        ComboBox {
            objectName: "returnsPeriod"
            model: [qsTr("Last 7 days"), qsTr("Last 28 days"), qsTr("Last 91 days")]
            readonly property var values: [7, 28, 91]
            currentIndex: Math.max(0, values.indexOf(root.report.days))
            implicitHeight: Theme.touch
            Layout.preferredWidth: 200
            Accessible.name: qsTr("Period")
            onActivated: (index) => root.report.days = values[index]
        }
        Label {
            objectName: "returnsUnseen"
            text: root.report.unseen > 0 ? qsTr("%n new return(s) since you last looked", "", root.report.unseen) : ""
            color: Theme.warning
            font.bold: true
            visible: text !== ""
            Layout.fillWidth: true
        }
        Item { Layout.fillWidth: root.report.unseen === 0 }
        Button {
            objectName: "returnsSeenButton"
            text: qsTr("Mark all as seen")
            visible: root.report.unseen > 0
            implicitHeight: Theme.touch
            onClicked: root.report.markSeen()
        }
    }
    MessageBanner {
        text: root.report.message
        Layout.fillWidth: true
    }

    // Per officer: a table, one row each, highest return rate first.
    Frame {
        Layout.fillWidth: true
        visible: root.report.officers.length > 0
        // A positioner, not a layout: Qt 6.4 layouts crash when a Repeater's rows change while
        // the tab is hidden.
        Column {
            id: table
            width: parent.width
            spacing: 4
            RowLayout {
                width: table.width
                spacing: Theme.gap
                Label { text: qsTr("Officer"); font.bold: true; Layout.preferredWidth: 220 }
                Label { text: qsTr("Checked"); font.bold: true; Layout.preferredWidth: 90; horizontalAlignment: Text.AlignRight }
                Label { text: qsTr("Returned"); font.bold: true; Layout.preferredWidth: 90; horizontalAlignment: Text.AlignRight }
                Label { text: qsTr("Rate"); font.bold: true; Layout.preferredWidth: 70; horizontalAlignment: Text.AlignRight }
                Label { text: qsTr("Sections most often returned"); font.bold: true; Layout.fillWidth: true }
            }
            Repeater {
                model: root.report.officers
                delegate: RowLayout {
                    required property var modelData
                    width: table.width
                    spacing: Theme.gap
                    Label { text: qsTr("%1 (%2)").arg(modelData.officer).arg(modelData.team); Layout.preferredWidth: 220; elide: Text.ElideRight }
                    Label { text: modelData.checked; Layout.preferredWidth: 90; horizontalAlignment: Text.AlignRight }
                    Label { text: modelData.returned; Layout.preferredWidth: 90; horizontalAlignment: Text.AlignRight }
                    Label {
                        text: modelData.rate
                        Layout.preferredWidth: 70
                        horizontalAlignment: Text.AlignRight
                        font.bold: modelData.returned > 0
                    }
                    Label { text: modelData.sections || "—"; Layout.fillWidth: true; wrapMode: Text.Wrap }
                }
            }
        }
    }

    Label {
        text: qsTr("Returns")
        font.bold: true
        visible: root.report.returns.length > 0
    }
    ListView {
        id: returnsList
        objectName: "returnsList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 2
        model: root.report.returns
        ScrollBar.vertical: ScrollBar {}
        delegate: ItemDelegate {
            id: ret
            required property var modelData
            width: ListView.view ? ListView.view.width : implicitWidth
            implicitHeight: retLayout.implicitHeight + 20
            onClicked: Draft.open(modelData.incidentId)
            Accessible.name: qsTr("%1 returned to %2 by %3").arg(modelData.reference).arg(modelData.officer).arg(modelData.by)
            contentItem: ColumnLayout {
                id: retLayout
                spacing: 2
                Label {
                    text: (ret.modelData.unseen ? qsTr("New · ") : "")
                          + qsTr("%1 returned to %2 by %3, %4").arg(ret.modelData.reference).arg(ret.modelData.officer)
                                .arg(ret.modelData.by).arg(ret.modelData.at)
                    font.bold: true
                    color: ret.modelData.unseen ? Theme.warning : palette.text
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: qsTr("Sections: %1").arg(ret.modelData.sections)
                    color: Theme.muted
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                Label {
                    text: ret.modelData.notes
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: returnsList.count === 0
            width: parent.width * 0.7
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No 124D was returned in this period.")
        }
    }
}

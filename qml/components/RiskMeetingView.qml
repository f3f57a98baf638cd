import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The daily risk management meeting (DOMAIN.md §6): the High-risk incidents of the last 24
// hours and the outstanding suspects (a power of arrest, no arrest recorded) in the
// supervisor's scope, side by side on a desk screen, one above the other on a narrow one. The
// core decides what is on each list and in which order; this shows it, and saves the meeting
// sheet as a PDF to print. Victims' initials and references only. Keyboard: Up / Down move in a
// list, Enter opens; Ctrl+P saves the sheet.
ColumnLayout {
    id: root

    required property RiskMeetingModel meeting
    /// What the last "Save as PDF" did, in words ("" before any).
    property string pdfResult: ""
    property bool pdfFailed: false

    signal openIncident(string incidentId)

    function savePdf() {
        const path = root.meeting.defaultPdfPath()
        const error = root.meeting.writePdf(path)
        pdfFailed = error !== ""
        pdfResult = pdfFailed ? error
                  : qsTr("Saved the meeting sheet to %1, readable by you only. Open it from there to print it.").arg(path)
    }

    spacing: Theme.gap
    Component.onCompleted: root.meeting.refresh()

    Shortcut {
        sequence: StandardKey.Print
        onActivated: root.savePdf()
    }

    component MeetingRow: ItemDelegate {
        id: row

        required property int index
        required property string incidentId
        required property string reference
        required property string officer
        required property string team
        required property string occurred
        required property string victims
        required property string standing
        required property string band
        required property string officerGrade
        required property string supervisorGrade
        required property int maracCriteria
        required property int children
        required property bool hbvOrForcedMarriage
        required property bool restricted
        required property string state
        required property string cad
        required property string cris
        required property string since
        required property string arrest
        required property bool justificationGiven
        /// A row of the outstanding suspects (else of the High-risk incidents).
        property bool suspectRow: false

        // An inline component does not see the file's ids: what it needs from root is here.
        function gradeWord(grade: string): string {
            return grade === "high" ? qsTr("High") : grade === "medium" ? qsTr("Medium")
                 : grade === "standard" ? qsTr("Standard") : qsTr("Not graded")
        }

        width: ListView.view ? ListView.view.width : implicitWidth
        implicitHeight: Math.max(Theme.touch + 24, rowLayout.implicitHeight + 24)
        highlighted: ListView.isCurrentItem
        Accessible.name: suspectRow
            ? qsTr("%1, %2, outstanding %3, %4").arg(victims).arg(reference).arg(since)
                  .arg(justificationGiven ? qsTr("reason for no arrest written") : qsTr("no reason for no arrest written"))
            : qsTr("%1, %2, occurred %3, %4").arg(victims).arg(reference).arg(occurred).arg(state)

        contentItem: RowLayout {
            id: rowLayout
            spacing: Theme.gap
            GradeBadge {
                grade: row.standing
                label: row.gradeWord(row.standing)
                Layout.preferredWidth: 110
                Layout.alignment: Qt.AlignTop
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    // The reference first: it is what the meeting reads out, and it never elides.
                    text: qsTr("%1 · %2").arg(row.reference).arg(row.victims)
                    font.bold: true
                    font.pixelSize: 19
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: [row.occurred !== "" ? row.occurred : qsTr("date not entered"),
                           row.cad !== "" ? qsTr("CAD %1").arg(row.cad) : "",
                           row.cris !== "" ? qsTr("CRIS %1").arg(row.cris) : "",
                           qsTr("%1 (%2)").arg(row.officer).arg(row.team)].filter(t => t !== "").join(" · ")
                    color: Theme.muted
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    // What the meeting weighs, in words (never colour alone).
                    text: [row.suspectRow ? qsTr("Arrest made: %1").arg(row.arrest) : "",
                           row.suspectRow ? (row.justificationGiven ? qsTr("reason for no arrest written")
                                                                    : qsTr("no reason for no arrest written")) : "",
                           row.supervisorGrade !== "" ? qsTr("supervisor graded %1").arg(row.gradeWord(row.supervisorGrade)) : "",
                           row.band !== "" && row.band !== row.standing ? qsTr("answers give %1").arg(row.gradeWord(row.band)) : "",
                           row.officerGrade !== "" && row.officerGrade !== row.standing
                               ? qsTr("officer graded %1").arg(row.gradeWord(row.officerGrade)) : "",
                           row.maracCriteria > 0 ? qsTr("%n MARAC criterion/criteria", "", row.maracCriteria) : "",
                           row.children > 0 ? qsTr("%n child(ren)", "", row.children) : "",
                           row.hbvOrForcedMarriage ? qsTr("HBV / forced marriage") : "",
                           row.restricted ? qsTr("Restricted") : ""].filter(t => t !== "").join(" · ")
                    visible: text !== ""
                    color: (row.suspectRow && !row.justificationGiven) || row.maracCriteria > 0 || row.hbvOrForcedMarriage
                           ? Theme.warning : palette.text
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
            ColumnLayout {
                Layout.preferredWidth: 150
                Layout.maximumWidth: 150
                Layout.alignment: Qt.AlignTop
                spacing: 2
                Label {
                    text: row.since === "" ? "" : row.suspectRow ? qsTr("outstanding %1").arg(row.since)
                                                                 : qsTr("%1 ago").arg(row.since)
                    font.bold: row.suspectRow
                    horizontalAlignment: Text.AlignRight
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    text: row.state
                    color: Theme.muted
                    horizontalAlignment: Text.AlignRight
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.gap
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                objectName: "meetingTitle"
                text: root.meeting.title
                font.pixelSize: 21
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.Heading
            }
            Label {
                objectName: "meetingScope"
                text: root.meeting.scope
                visible: text !== ""
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        Button {
            objectName: "meetingRefresh"
            text: qsTr("Refresh")
            enabled: !root.meeting.loading
            implicitHeight: Theme.touch
            Accessible.name: qsTr("Read the meeting again")
            onClicked: root.meeting.refresh()
        }
        Button {
            objectName: "meetingSavePdf"
            text: qsTr("Save as PDF")
            highlighted: true
            enabled: root.meeting.ready && !root.meeting.loading
            implicitHeight: Theme.touch
            Accessible.name: qsTr("Save the meeting sheet as a PDF to print")
            onClicked: root.savePdf()
        }
    }
    MessageBanner {
        objectName: "meetingPdfResult"
        text: root.pdfResult
        warning: root.pdfFailed
        Layout.fillWidth: true
    }
    MessageBanner {
        objectName: "meetingMessage"
        text: root.meeting.message
        Layout.fillWidth: true
    }

    Item {
        id: lists
        objectName: "meetingLists"
        // Side by side on a desk screen, one above the other when narrow. Placed by plain
        // bindings: in Qt 6.4 a GridLayout whose `columns` change after its first layout keeps
        // the old arrangement (seen here at 1280x800: the lists stayed stacked).
        readonly property bool wide: width >= 1100
        readonly property real paneWidth: wide ? (width - Theme.gap) / 2 : width
        readonly property real paneHeight: wide ? height : (height - Theme.gap) / 2
        Layout.fillWidth: true
        Layout.fillHeight: true

        ColumnLayout {
            objectName: "highRiskPane"
            width: lists.paneWidth
            height: lists.paneHeight
            spacing: Theme.gap / 2
            SectionHeading {
                objectName: "highRiskHeading"
                text: qsTr("High-risk incidents, last 24 hours (%1)").arg(root.meeting.highCount)
                topPadding: 0
                Layout.fillWidth: true
            }
            ListView {
                id: highList
                objectName: "highRiskList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: root.meeting.highRisk
                spacing: 2
                keyNavigationEnabled: true
                highlightMoveDuration: 0
                Accessible.role: Accessible.List
                Accessible.name: qsTr("High-risk incidents of the last 24 hours")
                ScrollBar.vertical: ScrollBar {}
                Keys.onReturnPressed: if (currentIndex >= 0) root.openIncident(root.meeting.highRisk.idAt(currentIndex))
                Keys.onEnterPressed: if (currentIndex >= 0) root.openIncident(root.meeting.highRisk.idAt(currentIndex))
                delegate: MeetingRow {
                    objectName: "highRiskRow_" + index
                    onClicked: {
                        ListView.view.currentIndex = index
                        root.openIncident(incidentId)
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: highList.count === 0 && root.meeting.ready && !root.meeting.loading
                    width: parent.width * 0.8
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: qsTr("No High-risk incident in the last 24 hours on this device.")
                }
            }
        }

        ColumnLayout {
            objectName: "suspectPane"
            x: lists.wide ? lists.paneWidth + Theme.gap : 0
            y: lists.wide ? 0 : lists.paneHeight + Theme.gap
            width: lists.paneWidth
            height: lists.paneHeight
            spacing: Theme.gap / 2
            SectionHeading {
                objectName: "suspectsHeading"
                text: qsTr("Outstanding suspects (%1)").arg(root.meeting.suspectCount)
                topPadding: 0
                Layout.fillWidth: true
            }
            ListView {
                id: suspectList
                objectName: "suspectList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: root.meeting.suspects
                spacing: 2
                keyNavigationEnabled: true
                highlightMoveDuration: 0
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Outstanding suspects: a power of arrest, no arrest recorded")
                ScrollBar.vertical: ScrollBar {}
                Keys.onReturnPressed: if (currentIndex >= 0) root.openIncident(root.meeting.suspects.idAt(currentIndex))
                Keys.onEnterPressed: if (currentIndex >= 0) root.openIncident(root.meeting.suspects.idAt(currentIndex))
                delegate: MeetingRow {
                    objectName: "suspectRow_" + index
                    suspectRow: true
                    onClicked: {
                        ListView.view.currentIndex = index
                        root.openIncident(incidentId)
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: suspectList.count === 0 && root.meeting.ready && !root.meeting.loading
                    width: parent.width * 0.8
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: qsTr("No outstanding suspect: every 124D with a power of arrest on this device records an arrest.")
                }
            }
        }
    }
}

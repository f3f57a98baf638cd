import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The supervisor's QA queue: every submitted 124D in scope, High first, then the longest
// waiting. Per row the grade it stands at (the officer's, or the answers' band when higher),
// the officer, the date, the victims' initials and Vigil's reference, how long it has waited,
// MARAC criteria met, children, HBV or forced marriage, restricted. Narrowed by grade, team and
// officer; found by CAD or CRIS reference. Keyboard: Up / Down move, Enter opens; Ctrl+F finds.
ColumnLayout {
    id: root

    readonly property QaQueueModel queue: Desk.qaQueue

    function gradeWord(grade: string): string {
        return grade === "high" ? qsTr("High") : grade === "medium" ? qsTr("Medium")
             : grade === "standard" ? qsTr("Standard") : qsTr("Not graded")
    }

    spacing: Theme.gap
    Component.onCompleted: queue.refresh()

    Shortcut {
        sequence: StandardKey.Find
        onActivated: findField.forceActiveFocus()
    }

    Flow {
        Layout.fillWidth: true
        spacing: Theme.gap
        ComboBox {
            objectName: "qaGradeFilter"
            model: [qsTr("Every grade"), qsTr("High"), qsTr("Medium"), qsTr("Standard")]
            readonly property var values: ["", "high", "medium", "standard"]
            currentIndex: Math.max(0, values.indexOf(root.queue.grade))
            implicitHeight: Theme.touch
            width: 180
            Accessible.name: qsTr("Grade")
            onActivated: (index) => root.queue.grade = values[index]
        }
        ComboBox {
            objectName: "qaTeamFilter"
            model: [qsTr("Every team")].concat(root.queue.teams)
            currentIndex: Math.max(0, root.queue.teams.indexOf(root.queue.team) + 1)
            implicitHeight: Theme.touch
            width: 200
            Accessible.name: qsTr("Team")
            onActivated: (index) => root.queue.team = index === 0 ? "" : root.queue.teams[index - 1]
        }
        ComboBox {
            objectName: "qaOfficerFilter"
            model: [qsTr("Every officer")].concat(root.queue.officers)
            currentIndex: Math.max(0, root.queue.officers.indexOf(root.queue.officer) + 1)
            implicitHeight: Theme.touch
            width: 200
            Accessible.name: qsTr("Officer")
            onActivated: (index) => root.queue.officer = index === 0 ? "" : root.queue.officers[index - 1]
        }
        PrivateTextField {
            id: findField
            objectName: "qaFindField"
            placeholderText: qsTr("Find by CAD or CRIS reference")
            implicitHeight: Theme.touch
            width: 300
            Accessible.name: qsTr("Find by CAD or CRIS reference")
            onTextEdited: root.queue.find = text
            Keys.onDownPressed: queueList.forceActiveFocus()
        }
    }
    Label {
        objectName: "qaSummary"
        text: root.queue.totalCount === 0 ? ""
              : qsTr("%1 waiting for review, %2 of them High. Showing %3.").arg(root.queue.totalCount)
                    .arg(root.queue.highCount).arg(root.queue.count)
        color: Theme.muted
        visible: text !== ""
    }
    MessageBanner {
        text: root.queue.message
        Layout.fillWidth: true
    }

    ListView {
        id: queueList
        objectName: "qaQueueList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.queue
        spacing: 2
        focus: true
        keyNavigationEnabled: true
        highlightMoveDuration: 0
        Accessible.role: Accessible.List
        Accessible.name: qsTr("QA queue")
        ScrollBar.vertical: ScrollBar {}
        Keys.onReturnPressed: if (currentIndex >= 0) Draft.open(root.queue.idAt(currentIndex))
        Keys.onEnterPressed: if (currentIndex >= 0) Draft.open(root.queue.idAt(currentIndex))

        delegate: ItemDelegate {
            id: row
            required property int index
            required property string incidentId
            required property string reference
            required property string officer
            required property string team
            required property string occurred
            required property string initials
            required property string band
            required property string officerGrade
            required property string standing
            required property int maracCriteria
            required property int children
            required property bool hbvOrForcedMarriage
            required property bool restricted
            required property string waiting
            required property string cad

            objectName: "qaRow_" + index
            width: ListView.view ? ListView.view.width : implicitWidth
            implicitHeight: Math.max(Theme.touch + 24, rowLayout.implicitHeight + 24)
            highlighted: ListView.isCurrentItem
            Accessible.name: qsTr("%1, %2, by %3, %4, waiting %5").arg(root.gradeWord(standing)).arg(initials || qsTr("no victim"))
                             .arg(officer).arg(reference).arg(waiting)
            onClicked: {
                queueList.currentIndex = index
                Draft.open(incidentId)
            }

            contentItem: RowLayout {
                id: rowLayout
                spacing: Theme.gap
                GradeBadge {
                    grade: row.standing
                    label: root.gradeWord(row.standing)
                    Layout.preferredWidth: 110
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        text: qsTr("%1 · %2").arg(row.initials || qsTr("No victim recorded")).arg(row.reference)
                        font.bold: true
                        font.pixelSize: 19
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: qsTr("%1 (%2) · %3%4").arg(row.officer).arg(row.team).arg(row.occurred || qsTr("date not entered"))
                              .arg(row.cad !== "" ? " · CAD " + row.cad : "")
                        color: Theme.muted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        // What the sergeant weighs before opening it, in words (never colour alone).
                        text: [row.band !== "" && row.band !== row.officerGrade
                                   ? qsTr("answers give %1, officer graded %2").arg(root.gradeWord(row.band)).arg(root.gradeWord(row.officerGrade)) : "",
                               row.maracCriteria > 0 ? qsTr("%n MARAC criterion/criteria", "", row.maracCriteria) : "",
                               row.children > 0 ? qsTr("%n child(ren)", "", row.children) : "",
                               row.hbvOrForcedMarriage ? qsTr("HBV / forced marriage") : "",
                               row.restricted ? qsTr("Restricted") : ""].filter(t => t !== "").join(" · ")
                        visible: text !== ""
                        color: row.maracCriteria > 0 || row.hbvOrForcedMarriage ? Theme.warning : palette.text
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
                Label {
                    text: row.waiting === "" ? "" : qsTr("waiting %1").arg(row.waiting)
                    color: Theme.muted
                    Layout.preferredWidth: 170
                    horizontalAlignment: Text.AlignRight
                }
            }
        }

        Label {
            anchors.centerIn: parent
            visible: queueList.count === 0 && !root.queue.loading
            width: parent.width * 0.7
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
            text: root.queue.totalCount === 0
                  ? qsTr("Nothing waiting for review. Submitted 124Ds in your scope arrive when this device syncs.")
                  : qsTr("No 124D in the queue matches these filters.")
        }
    }
}

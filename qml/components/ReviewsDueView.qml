import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Investigations due a supervisor's review (DOMAIN.md §6): every approved or open one every
// 7 days, serious sexual offences on their own cadence. The overdue first, in red with how
// long overdue (in words, never colour alone), then the soonest due. Up / Down and Enter open
// a row; the review is recorded in the 124D's "Review and submit" section.
ColumnLayout {
    id: root

    readonly property ReviewsDueModel reviews: Desk.reviewsDue

    spacing: Theme.gap
    Component.onCompleted: reviews.refresh()

    Label {
        objectName: "reviewsSummary"
        text: root.reviews.count === 0 ? ""
              : qsTr("%1 investigations to review, %2 of them overdue.").arg(root.reviews.count).arg(root.reviews.overdueCount)
        color: root.reviews.overdueCount > 0 ? Theme.warning : Theme.muted
        font.bold: root.reviews.overdueCount > 0
        visible: text !== ""
    }
    MessageBanner {
        text: root.reviews.message
        Layout.fillWidth: true
    }
    ListView {
        id: reviewList
        objectName: "reviewsDueList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.reviews
        spacing: 2
        focus: true
        keyNavigationEnabled: true
        highlightMoveDuration: 0
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Reviews due")
        ScrollBar.vertical: ScrollBar {}
        Keys.onReturnPressed: if (currentIndex >= 0) Draft.open(root.reviews.idAt(currentIndex))
        Keys.onEnterPressed: if (currentIndex >= 0) Draft.open(root.reviews.idAt(currentIndex))

        delegate: ItemDelegate {
            id: row
            required property int index
            required property string incidentId
            required property string reference
            required property string officer
            required property string team
            required property string occurred
            required property string initials
            required property string cad
            required property string stateWords
            required property bool seriousSexualOffence
            required property bool restricted
            required property bool overdue
            required property string due
            required property string dueIn
            required property string level
            required property string basis
            required property string lastReview

            objectName: "reviewRow_" + index
            width: ListView.view ? ListView.view.width : implicitWidth
            implicitHeight: Math.max(Theme.touch + 24, rowLayout.implicitHeight + 24)
            highlighted: ListView.isCurrentItem
            Accessible.name: qsTr("%1, %2, %3, review by %4").arg(dueIn).arg(initials || qsTr("no victim")).arg(reference).arg(level)
            onClicked: {
                reviewList.currentIndex = index
                Draft.open(incidentId)
            }

            contentItem: RowLayout {
                id: rowLayout
                spacing: Theme.gap
                Rectangle {
                    // The overdue in red with the words beside it; the rest plain.
                    Layout.preferredWidth: 170
                    Layout.fillHeight: true
                    radius: 6
                    color: row.overdue ? Theme.warningBack : "transparent"
                    border.color: row.overdue ? Theme.warning : Theme.muted
                    Label {
                        anchors.fill: parent
                        anchors.margins: 6
                        text: row.dueIn
                        color: row.overdue ? Theme.warning : palette.text
                        font.bold: row.overdue
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        text: qsTr("%1 · %2 · %3").arg(row.initials || qsTr("No victim recorded")).arg(row.reference).arg(row.stateWords)
                        font.bold: true
                        font.pixelSize: 19
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: qsTr("Review by %1, due %2: %3").arg(row.level).arg(row.due).arg(row.basis)
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        text: [qsTr("%1 (%2)").arg(row.officer).arg(row.team),
                               row.occurred !== "" ? row.occurred : "",
                               row.cad !== "" ? "CAD " + row.cad : "",
                               qsTr("last review: %1").arg(row.lastReview),
                               row.seriousSexualOffence ? qsTr("Serious sexual offence") : "",
                               row.restricted ? qsTr("Restricted") : ""].filter(t => t !== "").join(" · ")
                        color: Theme.muted
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            visible: reviewList.count === 0 && !root.reviews.loading
            width: parent.width * 0.7
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No investigation on this device is due a review. Approved and allocated 124Ds in your scope arrive when this device syncs.")
        }
    }
}

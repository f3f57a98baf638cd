import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Kept conflicts: one field written on two devices without either seeing the other. Sync
// shows one value; the other is kept here with who wrote each and when. The supervisor keeps
// the shown value or takes the other; the decision syncs to every device.
ColumnLayout {
    id: root

    readonly property ConflictListModel conflicts: Desk.conflicts

    spacing: Theme.gap
    Component.onCompleted: conflicts.refresh()

    Label {
        text: qsTr("The same field was changed on two devices without either seeing the other. Read both values, then keep the one shown or take the other.")
        color: Theme.muted
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    MessageBanner {
        objectName: "conflictMessage"
        text: root.conflicts.message
        Layout.fillWidth: true
    }
    ListView {
        id: conflictList
        objectName: "conflictList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: Theme.gap
        model: root.conflicts
        ScrollBar.vertical: ScrollBar {}

        delegate: Frame {
            id: conflict
            required property int index
            required property string reference
            required property string field
            required property string shownValue
            required property string shownBy
            required property string shownAt
            required property string otherValue
            required property string otherBy
            required property string otherAt
            required property bool command
            objectName: "conflict_" + index
            width: ListView.view ? ListView.view.width : implicitWidth

            ColumnLayout {
                anchors.fill: parent
                spacing: 6
                Label {
                    text: qsTr("%1 · %2").arg(conflict.reference).arg(conflict.field)
                    font.bold: true
                    font.pixelSize: 19
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                GridLayout {
                    columns: conflictList.width > 900 ? 2 : 1
                    columnSpacing: Theme.gap
                    rowSpacing: 6
                    Layout.fillWidth: true
                    ColumnLayout {
                        Layout.fillWidth: true
                        Label { text: qsTr("Shown now"); color: Theme.muted }
                        Label {
                            objectName: "shownValue"
                            text: conflict.shownValue
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        Label {
                            text: qsTr("by %1%2").arg(conflict.shownBy).arg(conflict.shownAt !== "" ? ", " + conflict.shownAt : "")
                            color: Theme.muted
                            font.pixelSize: Theme.fontSmall
                        }
                        Button {
                            objectName: "keepShown_" + conflict.index
                            text: conflict.command ? qsTr("Reviewed: both stand") : qsTr("Keep this value")
                            highlighted: true
                            enabled: !root.conflicts.busy
                            implicitHeight: Theme.touch
                            Accessible.name: qsTr("Keep the value shown: %1").arg(conflict.shownValue)
                            onClicked: root.conflicts.resolve(conflict.index, "keep")
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        Label { text: qsTr("The other value"); color: Theme.muted }
                        Label {
                            objectName: "otherValue"
                            text: conflict.otherValue
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        Label {
                            text: qsTr("by %1%2").arg(conflict.otherBy).arg(conflict.otherAt !== "" ? ", " + conflict.otherAt : "")
                            color: Theme.muted
                            font.pixelSize: Theme.fontSmall
                        }
                        Button {
                            objectName: "useOther_" + conflict.index
                            visible: !conflict.command
                            text: qsTr("Take this value instead")
                            enabled: !root.conflicts.busy
                            implicitHeight: Theme.touch
                            Accessible.name: qsTr("Take the other value: %1").arg(conflict.otherValue)
                            onClicked: root.conflicts.resolve(conflict.index, "other")
                        }
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            visible: conflictList.count === 0 && !root.conflicts.busy
            width: parent.width * 0.7
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No conflicts to settle.")
        }
    }
}

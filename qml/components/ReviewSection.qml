import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Review and submit: the core checks every rule at once; each problem is listed in words
// and tapping it goes to the field. Nothing is lost when a submission is refused.
WizardSection {
    id: root

    signal problemActivated(int row)
    /// The wizard's section titles, to say where each problem is.
    property var sectionTitles: []

    title: qsTr("Review and submit")
    section: IncidentEditor.ReviewSection

    Label {
        text: editor.editable
              ? qsTr("Submitting sends this 124D to your supervisor for review. It goes with the next sync; without a signal it waits safely on this device.")
              : qsTr("This 124D is with your supervisor (%1) and cannot be changed here.").arg(editor.state)
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Button {
        objectName: "submitButton"
        visible: editor.editable
        enabled: !editor.submitting
        text: editor.state === "returned" ? qsTr("Resubmit for review") : qsTr("Submit for review")
        highlighted: true
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: editor.submit()
    }
    MessageBanner {
        objectName: "submitMessage"
        text: editor.submitMessage
        warning: editor.problems.count > 0 || editor.state === "draft" || editor.state === "returned"
        Layout.fillWidth: true
    }
    Repeater {
        objectName: "problemList"
        model: editor.problems
        ItemDelegate {
            id: problem
            required property int index
            required property string message
            required property string field
            required property int section
            required property int victim
            readonly property string where: (root.sectionTitles[section] ?? "")
                                            + (victim >= 0 && root.editor.victimCount > 1
                                               ? " · " + (root.editor.victimName(victim) || qsTr("victim %1").arg(victim + 1)) : "")
            objectName: "problem_" + index
            text: message
            Layout.fillWidth: true
            implicitHeight: Math.max(Theme.touch, contentItem.implicitHeight + 16)
            contentItem: ColumnLayout {
                spacing: 2
                Label {
                    text: problem.where + "  ›"
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                Label {
                    text: problem.message
                    wrapMode: Text.Wrap
                    color: Theme.warning
                    Layout.fillWidth: true
                }
            }
            Accessible.name: qsTr("Problem in %1: %2. Activate to go to the field.").arg(where).arg(message)
            onClicked: root.problemActivated(index)
        }
    }
    Item { implicitHeight: Theme.gap }
}

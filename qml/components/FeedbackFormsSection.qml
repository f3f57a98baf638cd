import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The victim feedback forms of a case (issue 24; seed 004 §4.5): after charge and at the
// conclusion of the case. Where each stands (the core says what is due: there is no deadline),
// issuing one by a method the victim's safe-contact answers allow (an unsafe one is shown
// disabled with the reason, each reason once, as the log-contact form does), the forms issued,
// and how many anonymous responses came back: a count, nothing of what they said.
ColumnLayout {
    id: root

    required property CaseView view
    /// Bumped by the page on every change and each minute: method checks depend on the time.
    property int tick: 0
    property string feedbackKind: ""
    property string feedbackMethod: ""

    function feedbackCheck(m: string): var { return root.tick >= 0 ? root.view.feedbackMethodCheck(m) : ({}) }

    spacing: Theme.gap / 2

    SectionHeading { objectName: "feedbackHeading"; text: qsTr("Feedback forms"); Layout.fillWidth: true }
    Label {
        text: qsTr("The victim's answers are anonymous and go to the central team, never into Vigil: "
                   + "record here that a form went to her, and how many responses came back.")
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Repeater {
        model: root.view.feedbackForms
        delegate: Frame {
            id: formFrame
            required property var modelData
            required property int index
            readonly property bool due: modelData.state === "due" || modelData.state === "maybe_due"
            objectName: "feedbackForm_" + modelData.kind
            Layout.fillWidth: true
            ColumnLayout {
                width: parent.width
                spacing: 4
                Label {
                    text: formFrame.modelData.label
                    font.bold: true
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "feedbackState_" + formFrame.modelData.kind
                    text: formFrame.modelData.words
                    // Due, but with no deadline to miss: amber, not the red of something overdue.
                    color: formFrame.due ? Theme.medium : palette.text
                    font.bold: formFrame.due
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                // The count of anonymous responses, once a form of this kind has gone; the
                // controls wrap on a narrow column rather than running off it.
                Label {
                    visible: formFrame.modelData.issued > 0
                    text: qsTr("Responses received")
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                    Layout.topMargin: 4
                }
                Flow {
                    visible: formFrame.modelData.issued > 0
                    spacing: 8
                    Layout.fillWidth: true
                    // The count and what it is out of stay together when the line wraps.
                    Row {
                        spacing: 8
                        SpinBox {
                            id: responsesBox
                            objectName: "feedbackResponses_" + formFrame.modelData.kind
                            // A count, but the keyboard learns nothing typed in Vigil (issue 22).
                            inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                            from: 0
                            to: formFrame.modelData.issued
                            value: formFrame.modelData.responses
                            editable: true
                            implicitHeight: Theme.touch
                            Accessible.name: qsTr("Anonymous responses received to the form %1").arg(formFrame.modelData.label)
                        }
                        Label {
                            text: qsTr("of %1 issued").arg(formFrame.modelData.issued)
                            color: Theme.muted
                            height: Theme.touch
                            verticalAlignment: Text.AlignVCenter
                        }
                    }
                    Button {
                        objectName: "saveFeedbackResponses_" + formFrame.modelData.kind
                        text: qsTr("Save count")
                        enabled: responsesBox.value !== formFrame.modelData.responses && !root.view.busy
                        implicitHeight: Theme.touch
                        Accessible.name: qsTr("Save the count of responses to the form %1").arg(formFrame.modelData.label)
                        onClicked: root.view.setFeedbackResponses(formFrame.modelData.kind, responsesBox.value)
                    }
                }
            }
        }
    }
    Label {
        text: qsTr("Issue a form")
        font.bold: true
        Layout.topMargin: Theme.gap / 2
    }
    Label {
        text: qsTr("Which form")
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
    }
    Flow {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: root.view.feedbackFormKinds()
            delegate: Button {
                required property var modelData
                objectName: "feedbackKind_" + modelData.id
                text: modelData.label
                highlighted: root.feedbackKind === modelData.id
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Form: %1").arg(modelData.label)
                onClicked: root.feedbackKind = modelData.id
            }
        }
    }
    Label {
        text: qsTr("How it reaches the victim")
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
    }
    Flow {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: root.view.methods()
            delegate: Button {
                required property var modelData
                readonly property var verdict: root.feedbackCheck(modelData.id)
                objectName: "feedbackMethod_" + modelData.id
                text: modelData.label
                highlighted: root.feedbackMethod === modelData.id
                enabled: verdict.allowed === true && !root.view.busy
                implicitHeight: Theme.touch
                Accessible.name: verdict.allowed ? qsTr("Send by: %1").arg(text) : text + ": " + verdict.reason
                onClicked: root.feedbackMethod = modelData.id
            }
        }
    }
    // Why the disabled methods are disabled, in the rule's words: each reason once.
    Repeater {
        model: {
            const seen = []
            for (const m of root.view.methods()) {
                const v = root.feedbackCheck(m.id)
                if (v.allowed === false && seen.indexOf(v.reason) < 0)
                    seen.push(v.reason)
            }
            return seen
        }
        delegate: Label {
            required property var modelData
            required property int index
            objectName: "feedbackMethodReason_" + index
            text: modelData
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
    Label {
        objectName: "feedbackMethodCaution"
        readonly property var verdict: root.feedbackMethod !== "" ? root.feedbackCheck(root.feedbackMethod) : ({})
        visible: (verdict.caution || "") !== ""
        text: verdict.caution || ""
        color: Theme.medium
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Button {
        objectName: "issueFeedbackButton"
        text: qsTr("Record form issued")
        highlighted: true
        enabled: root.feedbackKind !== "" && root.feedbackMethod !== "" && !root.view.busy
                 && root.feedbackCheck(root.feedbackMethod).allowed === true
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: root.view.issueFeedbackForm(root.feedbackKind, root.feedbackMethod)
    }
    Label {
        visible: root.view.feedbackIssued.length === 0
        text: qsTr("No feedback form issued yet.")
        color: Theme.muted
    }
    Repeater {
        model: root.view.feedbackIssued
        delegate: ColumnLayout {
            required property var modelData
            required property int index
            objectName: "feedbackIssued_" + index
            spacing: 0
            Layout.fillWidth: true
            Label {
                text: qsTr("%1 · %2 · %3 · %4").arg(modelData.label).arg(modelData.method).arg(modelData.at).arg(modelData.by)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: modelData.caution !== ""
                text: modelData.caution
                color: Theme.medium
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
    }
    Connections {
        target: root.view
        function onSaved() {
            root.feedbackKind = ""
            root.feedbackMethod = ""
        }
    }
}

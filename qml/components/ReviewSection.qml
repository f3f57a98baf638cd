import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Review and submit: the core checks every rule at once; each problem is listed in words
// and tapping it goes to the field. Nothing is lost when a submission is refused.
WizardSection {
    id: root

    signal problemActivated(int row)
    /// The confirmation before submitting (tests open and accept it as an officer would).
    readonly property alias confirmDialog: confirmSubmit
    /// The wizard's section titles, to say where each problem is.
    property var sectionTitles: []

    title: qsTr("Review and submit")
    section: IncidentEditor.ReviewSection

    readonly property bool followUp: editor.state !== "" && (editor.mayDecide("allocate") || editor.mayDecide("close"))

    Label {
        text: root.followUp
              ? (editor.officerInCase !== ""
                 ? qsTr("%1: %2 is the officer in the case. Move the investigation to someone else, or close it with your final risk review. Either goes with the next sync, and the server checks it again.").arg(editor.stateLabel).arg(editor.officerInCase)
                 : qsTr("%1: allocate it for investigation to the officer in the case, or close it with your final risk review. Either goes with the next sync, and the server checks it again.").arg(editor.stateLabel))
              : editor.reviewable
              ? qsTr("Your decision as supervisor. Approving checks every submission rule again; returning sends your notes to the officer. Either goes with the next sync, and the server checks it again.")
              : editor.editable
              ? qsTr("Submitting sends this 124D to your supervisor for review. It goes with the next sync; without a signal it waits safely on this device.")
              : qsTr("This 124D is with your supervisor (%1) and cannot be changed here.").arg(editor.stateLabel)
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    // The supervisor's decision: approve, or return with notes. A note line may start with a
    // field ("refs.crimint: add the reference"): the officer then sees it beside that field.
    ColumnLayout {
        objectName: "decisionPanel"
        visible: editor.reviewable
        Layout.fillWidth: true
        spacing: Theme.gap
        // Confirm or amend each victim's grade (a reason when it differs from the officer's).
        Repeater {
            model: editor.victimCount
            ColumnLayout {
                id: gradeRow
                required property int index
                readonly property string vp: editor.victimPath(index)
                Layout.fillWidth: true
                spacing: 4
                ChoiceField {
                    objectName: "supervisorGrade_" + gradeRow.index
                    fieldPath: gradeRow.vp + ".grade.supervisor"
                    writable: editor.revision >= 0 && editor.mayEdit(fieldPath)
                    label: qsTr("Your grade for %1 (the officer graded %2)")
                           .arg(editor.victimName(gradeRow.index) || qsTr("victim %1").arg(gradeRow.index + 1))
                           .arg(({standard: qsTr("Standard"), medium: qsTr("Medium"), high: qsTr("High")})
                                [editor.revision >= 0 ? editor.value(gradeRow.vp + ".grade.officer") : ""] ?? qsTr("nothing"))
                    options: [{ value: "standard", label: qsTr("Standard") }, { value: "medium", label: qsTr("Medium") },
                              { value: "high", label: qsTr("High") }]
                }
                WizardField {
                    fieldPath: gradeRow.vp + ".grade.supervisor_reason"
                    inputName: "supervisorGradeReason_" + gradeRow.index
                    writable: editor.revision >= 0 && editor.mayEdit(fieldPath)
                    label: qsTr("Reason, when your grade differs from the officer's")
                }
                // The MARAC decision: the officer's stands unless the supervisor decides otherwise.
                ChoiceField {
                    objectName: "supervisorMarac_" + gradeRow.index
                    fieldPath: gradeRow.vp + ".marac.supervisor"
                    writable: editor.revision >= 0 && editor.mayEdit(fieldPath)
                    label: qsTr("Your MARAC decision for %1 (the officer decided: %2)")
                           .arg(editor.victimName(gradeRow.index) || qsTr("victim %1").arg(gradeRow.index + 1))
                           .arg(({refer: qsTr("refer"), not_refer: qsTr("do not refer")})
                                [editor.revision >= 0 ? editor.value(gradeRow.vp + ".marac.decision") : ""] ?? qsTr("undecided"))
                    options: [{ value: "refer", label: qsTr("Refer to MARAC") }, { value: "not_refer", label: qsTr("Do not refer") }]
                }
                Label {
                    readonly property string forcing: editor.revision >= 0 ? editor.referralForcingFlags() : ""
                    visible: forcing !== ""
                    text: qsTr("%1: referral to MARAC is required, and approving refuses \u201cDo not refer\u201d.").arg(forcing)
                    color: Theme.warning
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                WizardField {
                    fieldPath: gradeRow.vp + ".marac.supervisor_reason"
                    inputName: "supervisorMaracReason_" + gradeRow.index
                    writable: editor.revision >= 0 && editor.mayEdit(fieldPath)
                    label: qsTr("Reason, when you do not refer or differ from the officer")
                }
            }
        }
        Label {
            text: qsTr("Notes for the officer (needed to return it)")
            font.bold: true
        }
        PrivateTextArea {
            id: qaNotes
            objectName: "qaNotesField"
            readonly property bool savedWithRecord: false  // sent with the decision, not a field of the 124D
            // The notes being written live in the editor, so a note added beside a field
            // ("Note for the officer") joins them here.
            text: editor.qaDraft
            onTextChanged: if (text !== editor.qaDraft) editor.qaDraft = text
            placeholderText: qsTr("One note a line, e.g.\nrefs.crimint: add the CRIMINT reference for the earlier call-out\nCheck the date of birth with the victim.")
            wrapMode: TextEdit.Wrap
            implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
            Layout.fillWidth: true
            Accessible.name: qsTr("Notes for the officer")
        }
        RowLayout {
            spacing: Theme.gap
            Button {
                objectName: "approveButton"
                text: qsTr("Approve")
                highlighted: true
                enabled: !editor.submitting
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Approve this 124D")
                onClicked: editor.decide("approve", qaNotes.text)
            }
            Button {
                objectName: "returnButton"
                text: qsTr("Return to the officer")
                enabled: !editor.submitting && qaNotes.text.trim() !== ""
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Return this 124D to the officer with the notes")
                onClicked: editor.decide("return", qaNotes.text)
            }
        }
    }
    Button {
        objectName: "submitButton"
        visible: editor.editable
        enabled: !editor.submitting
        text: editor.state === "returned" ? qsTr("Resubmit for review") : qsTr("Submit for review")
        highlighted: true
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: confirmSubmit.open()
    }
    Dialog {
        id: confirmSubmit
        objectName: "confirmSubmitDialog"
        title: editor.state === "returned" ? qsTr("Resubmit this 124D?") : qsTr("Submit this 124D?")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 520
        Label {
            width: 480
            text: qsTr("Vigil checks it first and lists anything to put right. If all is well it goes to your supervisor for review with the next sync (now, if there is a signal; otherwise it waits safely on this device). After that you cannot change it unless your supervisor returns it to you.")
            wrapMode: Text.Wrap
        }
        footer: DialogButtonBox {
            Button {
                objectName: "confirmSubmitButton"
                text: qsTr("Submit")
                highlighted: true
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                objectName: "cancelSubmitButton"
                text: qsTr("Not yet")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: editor.submit()
    }
    // After approval: allocate for investigation, or close with a final risk review.
    ColumnLayout {
        objectName: "followUpPanel"
        visible: root.followUp
        Layout.fillWidth: true
        spacing: Theme.gap
        // The officer in the case: chosen from the officers the server lists for this
        // supervisor's scope (kept on the device, so this works offline too).
        Label {
            text: editor.officerInCase !== "" ? qsTr("Move the investigation to") : qsTr("Officer in the case")
            font.bold: true
            visible: editor.state !== "" && editor.mayAllocate()
            Layout.fillWidth: true
        }
        ColumnLayout {
            id: chooser
            objectName: "officerChooser"
            visible: editor.state !== "" && editor.mayAllocate()
            Layout.fillWidth: true
            spacing: 4
            property string chosenId: ""
            property string chosenName: ""
            readonly property OfficerDirectoryModel officers: Desk.officers
            PrivateTextField {
                id: officerFilter
                objectName: "officerFilterField"
                readonly property bool savedWithRecord: false  // a search, not a field of the 124D
                placeholderText: qsTr("Type a name, user id or team")
                text: chooser.officers.filter
                onTextEdited: chooser.officers.filter = text
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Find the officer in the case")
            }
            ListView {
                id: officerList
                objectName: "officerList"
                model: chooser.officers
                clip: true
                visible: chooser.officers.count > 0
                implicitHeight: Math.min(contentHeight, Theme.touch * 5)
                Layout.fillWidth: true
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    required property string userId
                    required property string name
                    required property string roleWords
                    required property string team
                    objectName: "officer_" + userId
                    width: ListView.view.width
                    implicitHeight: Theme.touch
                    highlighted: chooser.chosenId === userId
                    text: qsTr("%1 (%2), %3, %4").arg(name).arg(userId).arg(roleWords).arg(team)
                    Accessible.name: text
                    onClicked: {
                        chooser.chosenId = userId
                        chooser.chosenName = name
                    }
                }
            }
            Label {
                objectName: "officerListMessage"
                text: chooser.officers.message !== "" ? chooser.officers.message : chooser.officers.fetchedWords
                color: chooser.officers.message !== "" ? Theme.warning : Theme.muted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        Label {
            text: editor.state !== "" && editor.mayDecide("allocate") ? qsTr("What the officer in the case should do first, or your final risk review")
                                               : qsTr("Your final risk review")
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        PrivateTextArea {
            id: followUpNote
            objectName: "followUpNoteField"
            readonly property bool savedWithRecord: false  // sent with the decision, not a field of the 124D
            placeholderText: editor.state !== "" && editor.mayDecide("allocate") ? qsTr("e.g. Take the victim's statement today.")
                                                          : qsTr("The risk now, and why the case can close.")
            wrapMode: TextEdit.Wrap
            implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
            Layout.fillWidth: true
            Accessible.name: qsTr("What to do first, or final risk review")
        }
        RowLayout {
            spacing: Theme.gap
            Layout.fillWidth: true
            Button {
                objectName: "allocateButton"
                visible: editor.state !== "" && editor.mayDecide("allocate")
                text: chooser.chosenName !== "" ? qsTr("Allocate to %1").arg(chooser.chosenName) : qsTr("Allocate for investigation")
                highlighted: true
                enabled: !editor.submitting && chooser.chosenId !== "" && followUpNote.text.trim() !== ""
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: editor.allocate(chooser.chosenId, chooser.chosenName, followUpNote.text)
            }
            Button {
                objectName: "reallocateButton"
                visible: editor.state === "under_investigation" && editor.mayAllocate()
                text: chooser.chosenName !== "" ? qsTr("Move to %1").arg(chooser.chosenName) : qsTr("Move the investigation")
                enabled: !editor.submitting && chooser.chosenId !== "" && chooser.chosenId !== editor.officerInCaseId
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: editor.allocate(chooser.chosenId, chooser.chosenName, "")
            }
            Button {
                objectName: "closeButton"
                visible: editor.state !== "" && editor.mayDecide("close")
                text: qsTr("Close with this risk review")
                enabled: !editor.submitting && followUpNote.text.trim() !== "" && Draft.outcome.closeBlocker === ""
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: editor.decide("close", followUpNote.text)
            }
        }
        Label {
            objectName: "closeBlocker"
            visible: editor.state !== "" && editor.mayDecide("close") && text !== ""
            text: Draft.outcome.closeBlocker
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "allocateHint"
            visible: editor.state !== "" && editor.mayDecide("allocate") && (chooser.chosenId === "" || followUpNote.text.trim() === "")
            text: chooser.chosenId === "" ? qsTr("Choose the officer in the case from the list to allocate.")
                                          : qsTr("Say what the officer in the case should do first to allocate.")
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
    // The crime's outcome, for those the policy lets record it (the officer in the case, an
    // investigator, a supervisor), before closing at the latest.
    OutcomeSection {
        Layout.fillWidth: true
    }
    // The supervision log: each QA decision, review of the investigation and final risk review,
    // and when the next review is due. A supervisor records a review here.
    ColumnLayout {
        id: supervisionBox
        objectName: "supervisionPanel"
        readonly property SupervisionPanel panel: Draft.supervision
        visible: panel.due !== "" || panel.entries.length > 0
        Layout.fillWidth: true
        spacing: Theme.gap
        SectionHeading {
            text: qsTr("Supervision")
            Layout.fillWidth: true
        }
        Rectangle {
            objectName: "reviewDue"
            visible: supervisionBox.panel.due !== ""
            Layout.fillWidth: true
            implicitHeight: dueText.implicitHeight + 16
            radius: 4
            color: supervisionBox.panel.overdue ? Theme.warningBack : Theme.infoBack
            border.color: supervisionBox.panel.overdue ? Theme.warning : "transparent"
            Label {
                id: dueText
                anchors.fill: parent
                anchors.margins: 8
                text: supervisionBox.panel.dueIn + ". " + supervisionBox.panel.due
                color: supervisionBox.panel.overdue ? Theme.warning : palette.text
                font.bold: supervisionBox.panel.overdue
                wrapMode: Text.Wrap
            }
        }
        ColumnLayout {
            objectName: "recordReviewPanel"
            visible: supervisionBox.panel.mayReview
            Layout.fillWidth: true
            spacing: 8
            Label {
                text: qsTr("Record a review of the investigation")
                font.bold: true
            }
            RowLayout {
                spacing: Theme.gap
                Layout.fillWidth: true
                Label { text: qsTr("Reviewing as") }
                ComboBox {
                    id: reviewLevel
                    objectName: "reviewLevel"
                    readonly property var values: ["supervisor", "inspector", "chief_inspector"]
                    model: [qsTr("Supervisor (DS)"), qsTr("Inspector (DI)"), qsTr("Chief inspector (DCI)")]
                    currentIndex: Math.max(0, values.indexOf(supervisionBox.panel.dueLevel))
                    implicitHeight: Theme.touch
                    Layout.preferredWidth: 260
                    Accessible.name: qsTr("Reviewing as")
                }
            }
            RowLayout {
                id: reviewRisk
                property string value: ""
                spacing: 8
                Label { text: qsTr("Risk now") }
                Repeater {
                    model: [{ value: "standard", label: qsTr("Standard") }, { value: "medium", label: qsTr("Medium") },
                            { value: "high", label: qsTr("High") }]
                    Button {
                        required property var modelData
                        objectName: "reviewRisk_" + modelData.value
                        text: modelData.label
                        checkable: true
                        checked: reviewRisk.value === modelData.value
                        highlighted: checked
                        implicitHeight: Theme.touch
                        Layout.preferredWidth: 130
                        onClicked: reviewRisk.value = modelData.value
                    }
                }
            }
            PrivateTextArea {
                id: reviewNotes
                objectName: "reviewNotesField"
                readonly property bool savedWithRecord: false  // sent with the review, not a field of the 124D
                placeholderText: qsTr("What you reviewed: the risk now, the suspect, the victim's safety, the actions set and by when.")
                wrapMode: TextEdit.Wrap
                implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
                Layout.fillWidth: true
                Accessible.name: qsTr("Review notes")
            }
            Button {
                objectName: "recordReviewButton"
                text: qsTr("Record review")
                highlighted: true
                enabled: !supervisionBox.panel.saving && reviewRisk.value !== "" && reviewNotes.text.trim() !== ""
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Record this review of the investigation")
                onClicked: {
                    supervisionBox.panel.recordReview(reviewLevel.values[reviewLevel.currentIndex], reviewRisk.value, reviewNotes.text)
                }
            }
            Connections {
                target: Draft.supervision
                function onRecorded() {
                    reviewNotes.text = ""
                    reviewRisk.value = ""
                }
            }
        }
        Label {
            objectName: "reviewMessage"
            text: supervisionBox.panel.message
            visible: text !== ""
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        // The log, oldest first. A positioner: entries arrive while the section may be hidden.
        Column {
            id: logColumn
            Layout.fillWidth: true
            spacing: 8
            Repeater {
                objectName: "supervisionLog"
                model: Draft.supervision.entries
                Frame {
                    required property var modelData
                    required property int index
                    objectName: "supervisionEntry_" + index
                    width: logColumn.width
                    Column {
                        width: parent.width
                        spacing: 2
                        Label {
                            width: parent.width
                            text: qsTr("%1 · %2 · %3").arg(modelData.title).arg(modelData.at).arg(modelData.by)
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                        Label {
                            width: parent.width
                            visible: text !== ""
                            text: [modelData.level !== "" ? qsTr("as %1").arg(modelData.level) : "",
                                   modelData.risk !== "" ? qsTr("risk %1").arg(modelData.risk) : "",
                                   modelData.sections !== "" ? qsTr("sections: %1").arg(modelData.sections) : "",
                                   modelData.nextDue !== "" ? qsTr("next review due %1").arg(modelData.nextDue) : ""]
                                  .filter(t => t !== "").join(" · ")
                            color: Theme.muted
                            wrapMode: Text.Wrap
                        }
                        Label {
                            width: parent.width
                            visible: text !== ""
                            text: modelData.notes
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }
    }
    MessageBanner {
        objectName: "submitMessage"
        text: editor.submitMessage
        warning: editor.problems.count > 0 || editor.state === "draft" || editor.state === "returned"
        Layout.fillWidth: true
    }
    // A positioner, not a layout, holds the problem rows: the list is rebuilt as problems are
    // put right, also while this section is hidden, and Qt 6.4's layouts crash when a
    // repeated child goes while they are hidden.
    Column {
        id: problemColumn
        Layout.fillWidth: true
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
                width: problemColumn.width
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
    }
    Item { implicitHeight: Theme.gap }
}

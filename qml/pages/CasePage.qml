import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A victim's case (issue 24): the safe-contact rules always at the top; log a contact (a
// method the victim said is unsafe, or outside her safe times, is shown disabled with the
// reason); what is due; the timeline of contacts and events; the safety plan; the case's
// status; the feedback forms issued (the same safe-contact rules) and their anonymous responses
// counted. Wide screens put the timeline beside the forms; a portrait tablet stacks them.
Page {
    id: root
    readonly property CaseView view: Casework.current
    readonly property bool wide: width >= 1100
    // Method checks depend on the time as well as the answers: asked again on every change
    // and each minute.
    property int tick: 0
    Timer { interval: 60000; running: true; repeat: true; onTriggered: root.tick++ }
    Connections { target: root.view; function onChanged() { root.tick++ } }

    property string method: ""
    property string outcome: "spoke"
    property var duties: []
    property bool editingSafe: false

    function check(m) { return root.tick >= 0 ? root.view.methodCheck(m) : ({}) }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.gap / 2
            spacing: Theme.gap
            Button {
                objectName: "backToCaseload"
                text: qsTr("Back to my cases")
                implicitHeight: Theme.touch
                Accessible.name: text
                onClicked: root.view.close()
            }
            Label {
                text: root.view.victimName + "  ·  " + root.view.reference + "  ·  " + root.view.statusWords
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("Risk: %1").arg(root.view.riskWords)
                Layout.rightMargin: Theme.gap
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        // The safe-contact rules: never scrolled away.
        Rectangle {
            objectName: "safeContactBanner"
            Layout.fillWidth: true
            implicitHeight: safeBox.implicitHeight + 16
            radius: 4
            color: Theme.warningBack
            border.color: Theme.warning
            ColumnLayout {
                id: safeBox
                x: 8
                y: 8
                width: parent.width - 16
                spacing: 4
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        objectName: "safeSummary"
                        text: qsTr("Safe contact: %1").arg(root.view.safeSummary)
                        font.bold: true
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "changeSafeContact"
                        text: root.editingSafe ? qsTr("Cancel") : qsTr("The victim changed these")
                        implicitHeight: Theme.touch
                        Accessible.name: text
                        onClicked: root.editingSafe = !root.editingSafe
                    }
                }
                Label {
                    visible: root.view.safeAnswers.afraidOf !== ""
                    text: qsTr("Afraid of: %1").arg(root.view.safeAnswers.afraidOf)
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    visible: root.view.safeAnswers.updatedBy !== ""
                    text: qsTr("Changed by %1, %2").arg(root.view.safeAnswers.updatedBy).arg(root.view.safeAnswers.updatedAt)
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                }
                // The victim's new answers, recorded with who and when.
                GridLayout {
                    objectName: "safeContactEditor"
                    visible: root.editingSafe
                    columns: root.wide ? 6 : 3
                    Layout.fillWidth: true
                    Repeater {
                        model: [["phone", qsTr("Phone")], ["text", qsTr("Text")], ["voicemail", qsTr("Voicemail")],
                                ["email", qsTr("Email")], ["visit", qsTr("Visit")]]
                        delegate: ComboBox {
                            required property var modelData
                            objectName: "safe_" + modelData[0]
                            readonly property var current: root.view.safeAnswers[modelData[0]]
                            model: [qsTr("%1: not asked").arg(modelData[1]), qsTr("%1: safe").arg(modelData[1]),
                                    qsTr("%1: NOT safe").arg(modelData[1])]
                            currentIndex: current === true ? 1 : current === false ? 2 : 0
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: modelData[1]
                        }
                    }
                    PrivateTextField {
                        id: safeTimesField
                        objectName: "safeTimesField"
                        readonly property bool savedWithRecord: false  // saved with the button below
                        text: root.view.safeAnswers.safeTimes
                        placeholderText: qsTr("Safe times, e.g. Weekdays 10:00-15:00")
                        implicitHeight: Theme.touch
                        Layout.columnSpan: root.wide ? 3 : 3
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Safe times")
                    }
                    PrivateTextField {
                        id: afraidField
                        objectName: "afraidOfField"
                        readonly property bool savedWithRecord: false
                        text: root.view.safeAnswers.afraidOf
                        placeholderText: qsTr("Who the victim is afraid of")
                        implicitHeight: Theme.touch
                        Layout.columnSpan: root.wide ? 2 : 2
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Who the victim is afraid of")
                    }
                    Button {
                        objectName: "saveSafeContact"
                        text: qsTr("Save the victim's answers")
                        highlighted: true
                        enabled: !root.view.busy
                        implicitHeight: Theme.touch
                        Accessible.name: text
                        onClicked: {
                            const answers = { safeTimes: safeTimesField.text, afraidOf: afraidField.text }
                            for (const key of ["phone", "text", "voicemail", "email", "visit"]) {
                                const box = findBox("safe_" + key)
                                answers[key] = box.currentIndex === 1 ? true : box.currentIndex === 2 ? false : null
                            }
                            root.view.setSafeContact(answers)
                            root.editingSafe = false
                        }
                        function findBox(name) {
                            for (let i = 0; i < parent.children.length; ++i)
                                if (parent.children[i].objectName === name)
                                    return parent.children[i]
                            return null
                        }
                    }
                }
            }
        }

        Label {
            objectName: "caseMessage"
            visible: root.view.message !== ""
            text: root.view.message
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            color: root.view.message.indexOf("Not ") === 0 ? Theme.warning : palette.text
            font.bold: root.view.message.indexOf("Not ") === 0
        }

        // The forms and, beside them on a wide screen or below them on a portrait tablet, what
        // is due and the timeline. Placed by hand, not by a grid: each scroll view's implicit
        // width follows its width, and a grid told of the new arrangement as a tablet turned
        // laid the panes out as they were before (Qt 6.4), clipping the forms.
        Item {
            id: panes
            Layout.fillWidth: true
            Layout.fillHeight: true
            readonly property real formsWidth: root.wide ? (width - Theme.gap * 2) / 2 : width
            readonly property real formsHeight: root.wide ? height : Math.round((height - Theme.gap) * 0.6)

            // Left (or top): log a contact, the status, events, the safety plan.
            ScrollView {
                id: formScroll
                objectName: "caseForms"
                x: 0
                y: 0
                width: panes.formsWidth
                height: panes.formsHeight
                contentWidth: availableWidth
                clip: true
                ColumnLayout {
                    width: formScroll.availableWidth
                    spacing: Theme.gap / 2

                    SectionHeading { text: qsTr("Log a contact"); Layout.fillWidth: true }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 8
                        Repeater {
                            model: root.view.methods()
                            delegate: Button {
                                required property var modelData
                                readonly property var verdict: root.check(modelData.id)
                                objectName: "method_" + modelData.id
                                text: modelData.label
                                highlighted: root.method === modelData.id
                                enabled: verdict.allowed === true && !root.view.busy
                                implicitHeight: Theme.touch
                                Accessible.name: verdict.allowed ? text : text + ": " + verdict.reason
                                onClicked: root.method = modelData.id
                            }
                        }
                    }
                    // Why the disabled methods are disabled, in words: each reason once.
                    Repeater {
                        model: {
                            const seen = []
                            for (const m of root.view.methods()) {
                                const v = root.check(m.id)
                                if (v.allowed === false && seen.indexOf(v.reason) < 0)
                                    seen.push(v.reason)
                            }
                            return seen
                        }
                        delegate: Label {
                            required property var modelData
                            required property int index
                            objectName: "methodReason_" + index
                            text: modelData
                            color: Theme.warning
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                    Label {
                        objectName: "methodCaution"
                        readonly property var verdict: root.method !== "" ? root.check(root.method) : ({})
                        visible: (verdict.caution || "") !== ""
                        text: verdict.caution || ""
                        color: Theme.medium
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 8
                        Repeater {
                            model: root.view.outcomes()
                            delegate: Button {
                                required property var modelData
                                objectName: "outcome_" + modelData.id
                                text: modelData.label
                                highlighted: root.outcome === modelData.id
                                implicitHeight: Theme.touch
                                Accessible.name: text
                                onClicked: root.outcome = modelData.id
                            }
                        }
                    }
                    PrivateTextArea {
                        id: notesField
                        objectName: "contactNotesField"
                        readonly property bool savedWithRecord: false  // saved with "Log contact"
                        placeholderText: qsTr("What was said; how the victim is")
                        wrapMode: TextEdit.Wrap
                        implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Contact notes")
                    }
                    PrivateTextField {
                        id: actionsField
                        objectName: "contactActionsField"
                        readonly property bool savedWithRecord: false
                        placeholderText: qsTr("Actions agreed (who does what)")
                        implicitHeight: Theme.touch
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Actions agreed")
                    }
                    PrivateTextField {
                        id: nextDueField
                        objectName: "nextContactField"
                        readonly property bool savedWithRecord: false
                        placeholderText: qsTr("Next contact due, e.g. 2026-12-10 11:00")
                        inputMethodHints: Qt.ImhPreferNumbers | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                        implicitHeight: Theme.touch
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Next contact due")
                    }
                    // The Victims' Code items this contact deals with (not her details sent to
                    // victim services before she consented).
                    Repeater {
                        model: root.view.dueItems.filter(i => i.offer === true)
                        delegate: WrappingCheckBox {
                            required property var modelData
                            objectName: "duty_" + modelData.duty
                            text: qsTr("Done in this contact: %1").arg(modelData.what)
                            checked: root.duties.indexOf(modelData.duty) >= 0
                            Layout.fillWidth: true
                            onToggled: {
                                const d = root.duties.filter(x => x !== modelData.duty)
                                if (checked)
                                    d.push(modelData.duty)
                                root.duties = d
                            }
                        }
                    }
                    Button {
                        objectName: "logContactButton"
                        text: qsTr("Log contact")
                        highlighted: true
                        enabled: root.method !== "" && !root.view.busy && root.check(root.method).allowed === true
                        implicitHeight: Theme.touch
                        Accessible.name: text
                        onClicked: {
                            root.view.logContact({ method: root.method, outcome: root.outcome, notes: notesField.text,
                                                   actions: actionsField.text, nextDue: nextDueField.text,
                                                   duties: root.duties })
                        }
                    }
                    Connections {
                        target: root.view
                        function onSaved() {
                            notesField.text = ""
                            actionsField.text = ""
                            nextDueField.text = ""
                            root.method = ""
                            root.duties = []
                        }
                    }

                    SectionHeading { text: qsTr("Case status"); Layout.fillWidth: true }
                    RowLayout {
                        Layout.fillWidth: true
                        ComboBox {
                            id: statusBox
                            objectName: "caseStatusBox"
                            model: root.view.statuses()
                            textRole: "label"
                            valueRole: "id"
                            currentIndex: Math.max(0, model.findIndex(s => s.id === root.view.status))
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("Case status")
                        }
                        Button {
                            objectName: "setStatusButton"
                            text: qsTr("Set status")
                            enabled: statusBox.currentValue !== root.view.status && !root.view.busy
                            implicitHeight: Theme.touch
                            onClicked: root.view.setStatus(statusBox.currentValue)
                        }
                    }

                    // Her answer about victim services: either can be recorded directly (a
                    // "no" is a decision too, and stops the item being chased as waiting).
                    Label {
                        objectName: "servicesConsentState"
                        visible: root.view.kind === "investigation"
                        text: root.view.servicesConsent
                              ? qsTr("Victim services: she agrees to her details going to them.")
                              : root.view.servicesConsentRefused
                                ? qsTr("Victim services: she does not agree to her details going to them.")
                                : qsTr("Victim services: not asked yet. Ask her whether her details may go to them.")
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Flow {
                        visible: root.view.kind === "investigation"
                        spacing: Theme.gap
                        Layout.fillWidth: true
                        // A click breaks the bindings of both buttons (exclusive): once the save
                        // has ended they are bound again to what is recorded, so a save that
                        // failed shows what is really saved.
                        function answer(agrees: bool) {
                            root.view.setServicesConsent(agrees)
                        }
                        Connections {
                            target: root.view
                            function onBusyChanged() {
                                if (root.view.busy)
                                    return
                                consentYes.checked = Qt.binding(() => root.view.servicesConsent)
                                consentNo.checked = Qt.binding(() => root.view.servicesConsentRefused)
                            }
                        }
                        RadioButton {
                            id: consentYes
                            objectName: "servicesConsentYes"
                            text: qsTr("She agrees")
                            checked: root.view.servicesConsent
                            enabled: !root.view.busy
                            implicitHeight: Theme.touch
                            Accessible.name: qsTr("The victim agrees to her details going to victim services")
                            onToggled: if (checked) parent.answer(true)
                        }
                        RadioButton {
                            id: consentNo
                            objectName: "servicesConsentNo"
                            text: qsTr("She does not agree")
                            checked: root.view.servicesConsentRefused
                            enabled: !root.view.busy
                            implicitHeight: Theme.touch
                            Accessible.name: qsTr("The victim does not agree to her details going to victim services")
                            onToggled: if (checked) parent.answer(false)
                        }
                    }
                    SectionHeading {
                        visible: root.view.kind === "investigation"
                        text: qsTr("Record what happened (the victim must be told)")
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        visible: root.view.kind === "investigation"
                        Layout.fillWidth: true
                        ComboBox {
                            id: eventBox
                            objectName: "eventKindBox"
                            model: root.view.eventKinds()
                            textRole: "label"
                            valueRole: "id"
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("What happened")
                        }
                        PrivateTextField {
                            id: eventAt
                            objectName: "eventAtField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("When (blank: now)")
                            implicitHeight: Theme.touch
                            Layout.preferredWidth: 220
                            Accessible.name: qsTr("When it happened")
                        }
                        Button {
                            objectName: "addEventButton"
                            text: qsTr("Record")
                            enabled: !root.view.busy
                            implicitHeight: Theme.touch
                            onClicked: { root.view.addEvent(eventBox.currentValue, eventAt.text, ""); eventAt.text = "" }
                        }
                    }

                    SectionHeading { text: qsTr("Orders"); Layout.fillWidth: true }
                    Repeater {
                        model: root.view.orders
                        delegate: Frame {
                            id: orderFrame
                            required property var modelData
                            required property int index
                            objectName: "order_" + index
                            Layout.fillWidth: true
                            ColumnLayout {
                                width: parent.width
                                spacing: 4
                                Label {
                                    text: orderFrame.modelData.title
                                    font.bold: true
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    objectName: "orderStatus_" + orderFrame.index
                                    text: orderFrame.modelData.statusWords
                                          + (orderFrame.modelData.countdown !== "" ? " · " + orderFrame.modelData.countdown : "")
                                    color: orderFrame.modelData.warning ? Theme.warning : palette.text
                                    font.bold: orderFrame.modelData.warning
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    visible: orderFrame.modelData.conditions !== ""
                                    text: orderFrame.modelData.conditions
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    visible: orderFrame.modelData.done !== ""
                                    text: orderFrame.modelData.done
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                // What the notice or order asks be done, recorded when it is.
                                RowLayout {
                                    visible: orderFrame.modelData.hearingOpen || orderFrame.modelData.notificationOpen
                                    Layout.fillWidth: true
                                    PrivateTextField {
                                        id: dutyAt
                                        objectName: "orderDutyAt_" + orderFrame.index
                                        readonly property bool savedWithRecord: false
                                        placeholderText: orderFrame.modelData.hearingOpen ? qsTr("Hearing held (blank: now)")
                                                                                          : qsTr("Given (blank: now)")
                                        inputMethodHints: Qt.ImhPreferNumbers | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                                        implicitHeight: Theme.touch
                                        Layout.fillWidth: true
                                        Accessible.name: orderFrame.modelData.hearingOpen
                                                         ? qsTr("When the hearing was held")
                                                         : qsTr("When the name and address were given")
                                    }
                                    Button {
                                        objectName: "recordOrderDuty_" + orderFrame.index
                                        text: orderFrame.modelData.hearingOpen ? qsTr("Record hearing held")
                                                                               : qsTr("Record name and address given")
                                        enabled: !root.view.busy
                                        implicitHeight: Theme.touch
                                        onClicked: {
                                            root.view.recordOrderDuty(orderFrame.modelData.id,
                                                                      orderFrame.modelData.hearingOpen ? "hearing" : "notification",
                                                                      dutyAt.text)
                                            dutyAt.text = ""
                                        }
                                    }
                                }
                                Repeater {
                                    model: orderFrame.modelData.breaches
                                    delegate: Label {
                                        required property var modelData
                                        text: qsTr("Breach %1: %2. Action: %3").arg(modelData.at).arg(modelData.what).arg(modelData.action)
                                        color: Theme.warning
                                        wrapMode: Text.Wrap
                                        Layout.fillWidth: true
                                    }
                                }
                                RowLayout {
                                    Layout.fillWidth: true
                                    PrivateTextField {
                                        id: breachWhat
                                        objectName: "breachWhat_" + orderFrame.index
                                        readonly property bool savedWithRecord: false
                                        placeholderText: qsTr("Breach: what happened")
                                        implicitHeight: Theme.touch
                                        Layout.fillWidth: true
                                        Accessible.name: qsTr("What the breach was")
                                    }
                                    PrivateTextField {
                                        id: breachAction
                                        objectName: "breachAction_" + orderFrame.index
                                        readonly property bool savedWithRecord: false
                                        placeholderText: qsTr("Action taken")
                                        implicitHeight: Theme.touch
                                        Layout.fillWidth: true
                                        Accessible.name: qsTr("Action taken on the breach")
                                    }
                                    Button {
                                        objectName: "logBreach_" + orderFrame.index
                                        text: qsTr("Log breach")
                                        enabled: breachWhat.text.trim() !== "" && breachAction.text.trim() !== "" && !root.view.busy
                                        implicitHeight: Theme.touch
                                        onClicked: {
                                            root.view.logBreach(orderFrame.modelData.id, breachWhat.text, breachAction.text, "")
                                            breachWhat.text = ""
                                            breachAction.text = ""
                                        }
                                    }
                                }
                            }
                        }
                    }
                    GridLayout {
                        columns: root.wide ? 3 : 2
                        Layout.fillWidth: true
                        ComboBox {
                            id: orderKind
                            objectName: "orderKindBox"
                            model: root.view.orderKinds()
                            textRole: "label"
                            valueRole: "id"
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("Kind of order")
                        }
                        PrivateTextField {
                            id: orderMade
                            objectName: "orderMadeField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("Made (blank: now)")
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("When the order was made")
                        }
                        PrivateTextField {
                            id: orderEnds
                            objectName: "orderEndsField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("Ends, e.g. 2026-12-31 23:59")
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("When the order ends")
                        }
                        PrivateTextField {
                            id: orderConditions
                            objectName: "orderConditionsField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("Conditions, as written")
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Layout.columnSpan: root.wide ? 2 : 1
                            Accessible.name: qsTr("Conditions of the order")
                        }
                        PrivateTextField {
                            id: orderAuthorised
                            objectName: "orderAuthorisedField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("Authorised by (a notice: the inspector)")
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("Who authorised it")
                        }
                        Button {
                            objectName: "addOrderButton"
                            text: qsTr("Record order")
                            enabled: !root.view.busy
                            implicitHeight: Theme.touch
                            onClicked: root.view.addOrder({ kind: orderKind.currentValue, madeAt: orderMade.text,
                                                            expiresAt: orderEnds.text, conditions: orderConditions.text,
                                                            authorisedBy: orderAuthorised.text, madeBy: "" })
                        }
                    }
                    Connections {
                        target: root.view
                        function onSaved() {
                            orderMade.text = ""
                            orderEnds.text = ""
                            orderConditions.text = ""
                            orderAuthorised.text = ""
                        }
                    }

                    SectionHeading { text: qsTr("Risk re-assessment"); Layout.fillWidth: true }
                    Repeater {
                        model: root.view.reassessments
                        delegate: Label {
                            required property var modelData
                            required property int index
                            objectName: "reassessment_" + index
                            text: qsTr("%1, %2 by %3: %4 yes, %5").arg(modelData.checklist).arg(modelData.at)
                                      .arg(modelData.by).arg(modelData.yes).arg(modelData.computed)
                                  + (modelData.judgement !== "" && modelData.judgement !== modelData.computed
                                     ? qsTr("; graded %1: %2").arg(modelData.judgement).arg(modelData.reason) : "")
                            font.bold: index === 0
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                    Button {
                        objectName: "startReassessment"
                        visible: !Casework.reassessment.active
                        text: root.view.kind === "idva" ? qsTr("Re-assess risk (RIC)") : qsTr("Re-assess risk (DASH)")
                        enabled: !root.view.busy
                        implicitHeight: Theme.touch
                        onClicked: Casework.reassessment.start()
                    }
                    ColumnLayout {
                        visible: Casework.reassessment.active
                        Layout.fillWidth: true
                        spacing: 2
                        Label {
                            text: Casework.reassessment.checklist
                            font.bold: true
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        Repeater {
                            model: Casework.reassessment.questions
                            delegate: GridLayout {
                                id: questionRow
                                required property var modelData
                                columns: root.wide ? 4 : 1
                                Layout.fillWidth: true
                                Label {
                                    text: questionRow.modelData.number + ". " + questionRow.modelData.text
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Repeater {
                                    model: [{ id: "yes", label: qsTr("Yes") }, { id: "no", label: qsTr("No") },
                                            { id: "dont_know", label: qsTr("Don't know") }]
                                    delegate: RadioButton {
                                        required property var modelData
                                        objectName: "ric_" + questionRow.modelData.id + "_" + modelData.id
                                        text: modelData.label
                                        checked: Casework.reassessment.answers[questionRow.modelData.id] === modelData.id
                                        implicitHeight: Theme.touch
                                        autoExclusive: false
                                        onClicked: Casework.reassessment.setAnswer(questionRow.modelData.id, modelData.id)
                                    }
                                }
                            }
                        }
                        Label {
                            objectName: "reassessmentBand"
                            text: Casework.reassessment.bandWords
                            font.bold: true
                            color: Casework.reassessment.band === "high" ? Theme.warning : palette.text
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            ComboBox {
                                id: judgement
                                objectName: "reassessmentGrade"
                                model: [{ id: "", label: qsTr("Grade as the answers give") },
                                        { id: "medium", label: qsTr("Medium (my judgement)") },
                                        { id: "high", label: qsTr("High (my judgement)") }]
                                textRole: "label"
                                valueRole: "id"
                                implicitHeight: Theme.touch
                                Layout.preferredWidth: 330
                                Accessible.name: qsTr("Your grade")
                            }
                            PrivateTextField {
                                id: judgementReason
                                objectName: "reassessmentReason"
                                readonly property bool savedWithRecord: false
                                placeholderText: qsTr("Why, if you grade above the answers")
                                implicitHeight: Theme.touch
                                Layout.fillWidth: true
                                Accessible.name: qsTr("Why you graded above the answers")
                            }
                        }
                        Label {
                            visible: Casework.reassessment.message !== ""
                            text: Casework.reassessment.message
                            color: Theme.warning
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                        RowLayout {
                            Button {
                                objectName: "saveReassessment"
                                text: qsTr("Save re-assessment")
                                highlighted: true
                                enabled: !root.view.busy
                                implicitHeight: Theme.touch
                                onClicked: Casework.reassessment.save(judgement.currentValue, judgementReason.text)
                            }
                            Button {
                                text: qsTr("Cancel")
                                implicitHeight: Theme.touch
                                onClicked: Casework.reassessment.cancel()
                            }
                        }
                    }

                    SectionHeading { text: qsTr("Safety plan"); Layout.fillWidth: true }
                    Repeater {
                        model: root.view.safety
                        delegate: WrappingCheckBox {
                            required property var modelData
                            text: modelData.text
                            checked: modelData.done
                            Layout.fillWidth: true
                            onToggled: root.view.setSafetyItemDone(modelData.id, checked)
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        PrivateTextField {
                            id: safetyField
                            objectName: "safetyItemField"
                            readonly property bool savedWithRecord: false
                            placeholderText: qsTr("A step of the safety plan, and who does it")
                            implicitHeight: Theme.touch
                            Layout.fillWidth: true
                            Accessible.name: qsTr("New safety plan step")
                        }
                        Button {
                            objectName: "addSafetyItemButton"
                            text: qsTr("Add")
                            enabled: safetyField.text.trim() !== "" && !root.view.busy
                            implicitHeight: Theme.touch
                            onClicked: { root.view.addSafetyItem(safetyField.text); safetyField.text = "" }
                        }
                    }

                    // Victim feedback forms: where each stands, issue one (by a safe method),
                    // the forms issued and their anonymous responses counted.
                    FeedbackFormsSection {
                        view: root.view
                        tick: root.tick
                        Layout.fillWidth: true
                    }
                }
            }

            // Right (or below): what is due, and the timeline.
            ScrollView {
                id: sideScroll
                objectName: "caseTimeline"
                x: root.wide ? panes.formsWidth + Theme.gap * 2 : 0
                y: root.wide ? 0 : panes.formsHeight + Theme.gap
                width: root.wide ? panes.width - x : panes.width
                height: root.wide ? panes.height : panes.height - y
                contentWidth: availableWidth
                clip: true
                ColumnLayout {
                    width: sideScroll.availableWidth
                    spacing: Theme.gap / 2
                    SectionHeading { text: qsTr("Due"); Layout.fillWidth: true }
                    Label {
                        visible: root.view.dueItems.length === 0
                        text: qsTr("Nothing due.")
                        color: Theme.muted
                    }
                    Repeater {
                        model: root.view.dueItems
                        delegate: Label {
                            required property var modelData
                            required property int index
                            objectName: "dueItem_" + index
                            // When, unless done or the status already says it ("Due before the
                            // custody decision").
                            text: modelData.what + " — " + modelData.statusWords
                                  + (modelData.done || modelData.dueWords === ""
                                     || modelData.statusWords.indexOf(modelData.dueWords) >= 0 ? "" : " (" + modelData.dueWords + ")")
                            color: modelData.overdue && !modelData.done ? Theme.warning : modelData.done ? Theme.muted : palette.text
                            font.bold: modelData.overdue && !modelData.done
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                    SectionHeading { text: qsTr("Timeline"); Layout.fillWidth: true }
                    Label {
                        visible: root.view.timeline.length === 0
                        text: qsTr("No contacts yet.")
                        color: Theme.muted
                    }
                    Repeater {
                        model: root.view.timeline
                        delegate: Frame {
                            required property var modelData
                            required property int index
                            objectName: "timeline_" + index
                            Layout.fillWidth: true
                            ColumnLayout {
                                width: parent.width
                                spacing: 2
                                Label {
                                    text: modelData.title + " · " + modelData.at + " · " + modelData.by
                                    font.bold: true
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    visible: modelData.source !== ""
                                    text: modelData.source
                                    color: Theme.muted
                                    font.pixelSize: Theme.fontSmall
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    visible: modelData.detail !== ""
                                    text: modelData.detail
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    objectName: "timelineKept_" + index
                                    visible: modelData.kept !== ""
                                    text: modelData.kept
                                    color: Theme.muted
                                    font.italic: true
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
                    }
                }
            }
        }
    }
}

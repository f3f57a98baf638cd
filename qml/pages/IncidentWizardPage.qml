import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The 124D wizard the officer completes at the scene: sections to move between freely,
// the DASH one question per step, the live risk panel beside the questions (a drawer on a
// narrow screen), autosave on every tap and within a second of typing, and on submit the
// list of problems, each leading to its field. Keyboard: Y / N / D answer, Alt+Right or
// Page Down next, Alt+Left or Page Up previous.
Page {
    id: root

    property int currentSection: IncidentEditor.IncidentSection
    readonly property IncidentEditor editor: Draft.editor
    readonly property bool wide: width >= 1150
    readonly property var sectionTitles: [
        qsTr("Incident and references"), qsTr("Victims"), qsTr("Suspects"), qsTr("Children and dependants"),
        qsTr("DASH questions"), qsTr("Officer's grade"), qsTr("RARA actions"), qsTr("Positive action"),
        qsTr("Evidence"), qsTr("Referrals and MARAC"), qsTr("Review and submit")
    ]

    function goTo(section: int) {
        currentSection = Math.max(0, Math.min(section, sectionTitles.length - 1))
    }
    function next() {
        if (currentSection === IncidentEditor.DashSection && dashSection.next())
            return
        goTo(currentSection + 1)
    }
    function previous() {
        if (currentSection === IncidentEditor.DashSection && dashSection.previous())
            return
        goTo(currentSection - 1)
    }
    function sectionItem(section: int): Item {
        return sections.children[section]
    }
    function findField(item: Item, path: string): Item {
        if (!item || !item.visible)
            return null
        if (item.fieldPath === path && typeof item.focusInput === "function")
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findField(item.children[i], path)
            if (found)
                return found
        }
        return null
    }
    /// Focus the field a path names in the section on screen (or the nearest field above
    /// it: "victims[0].dash.q14.reason" falls back to the question's answers).
    function focusField(path: string): bool {
        const section = sectionItem(currentSection)
        let p = path
        while (p !== "") {
            const item = findField(section, p)
            if (item) {
                item.focusInput()
                section.ensureVisible(item)
                return true
            }
            const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["))
            p = cut > 0 ? p.substring(0, cut) : ""
        }
        return false
    }
    /// Go to where a problem's field lives: its section, victim and DASH step, then focus it.
    function activateProblem(row: int) {
        const problem = editor.problems.get(row)
        if (problem.victim >= 0)
            editor.currentVictim = problem.victim
        goTo(problem.section)
        if (problem.section === IncidentEditor.DashSection && problem.step >= 0)
            dashSection.step = problem.step
        Qt.callLater(() => focusField(problem.field))
    }

    /// The QA notes as the officer reads them: a line naming a field ("refs.crimint: …")
    /// says which section it is in instead of the field path; it is also shown beside the field.
    function readableNote(): string {
        const lines = editor.reviewNote.split("\n")
        for (let i = 0; i < lines.length; ++i) {
            const m = lines[i].match(/^\s*([a-z_]+(?:\[[0-9]+\])?(?:\.[a-z_0-9]+(?:\[[0-9]+\])?)*)\s*:\s*(.+?)\s*$/)
            if (!m || editor.noteFor(m[1]) === "")
                continue
            const at = editor.locate(m[1])
            const victim = at.victim >= 0 && at.section !== IncidentEditor.IncidentSection
                           ? " (" + (editor.victimName(at.victim) || qsTr("victim %1").arg(at.victim + 1)) + ")" : ""
            lines[i] = qsTr("%1%2: %3").arg(sectionTitles[at.section]).arg(victim).arg(m[2])
        }
        return lines.join("\n")
    }

    objectName: "wizard"

    Shortcut {
        sequences: ["Alt+Right", "PgDown"]
        onActivated: root.next()
    }
    Shortcut {
        sequences: ["Alt+Left", "PgUp"]
        onActivated: root.previous()
    }
    Shortcut {
        sequence: "Y"
        enabled: root.currentSection === IncidentEditor.DashSection && root.editor.editable
        onActivated: dashSection.choose("yes")
    }
    Shortcut {
        sequence: "N"
        enabled: root.currentSection === IncidentEditor.DashSection && root.editor.editable
        onActivated: dashSection.choose("no")
    }
    Shortcut {
        sequence: "D"
        enabled: root.currentSection === IncidentEditor.DashSection && root.editor.editable
        onActivated: dashSection.choose("dont_know")
    }
    Connections {
        target: root.editor
        function onOpenChanged() {
            if (root.editor.incidentId === "")
                root.currentSection = IncidentEditor.IncidentSection
        }
    }

    header: ColumnLayout {
        spacing: 0
        // First row: the way back, what this 124D is, and whether it is saved. On a narrow
        // (portrait) screen the section picker and the risk button get a row of their own, so
        // every control stays on the screen whichever way the tablet is held.
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 8
            spacing: Theme.gap
            Button {
                objectName: "backButton"
                text: AppController.supervisor ? (root.wide ? qsTr("Back to the desk") : qsTr("Desk")) : root.wide ? qsTr("Back to my incidents") : qsTr("My incidents")
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Back to my incidents")
                onClicked: Draft.close()
            }
            Label {
                objectName: "stateLabel"
                text: root.editor.reference === "" ? root.editor.stateLabel
                      : qsTr("%1 · %2").arg(root.editor.stateLabel).arg(root.editor.reference)
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
                Layout.minimumWidth: 80
            }
            Label {
                objectName: "saveState"
                text: root.editor.saveState === "saving" ? qsTr("Saving…")
                      : root.editor.saveState === "failed" ? qsTr("Not saved")
                      : root.wide ? qsTr("Saved on this device") : qsTr("Saved")
                color: root.editor.saveState === "failed" ? Theme.warning : Theme.muted
                Accessible.role: Accessible.StaticText
                Accessible.name: root.editor.saveState === "saving" ? qsTr("Saving…")
                                 : root.editor.saveState === "failed" ? qsTr("Not saved") : qsTr("Saved on this device")
            }
        }
        RowLayout {
            visible: !root.wide
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 8
            Layout.bottomMargin: 8
            spacing: Theme.gap
            ComboBox {
                objectName: "sectionCombo"
                model: root.sectionTitles
                currentIndex: root.currentSection
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Layout.minimumWidth: 200
                Accessible.name: qsTr("Section")
                onActivated: (index) => root.goTo(index)
            }
            Button {
                objectName: "riskToggle"
                text: riskNarrow.graded ? qsTr("Risk: %1").arg(riskNarrow.gradeLabel(root.editor.risk.computed ?? ""))
                                        : qsTr("Risk: no answers yet")
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Show the live risk panel")
                onClicked: riskDrawer.open()
            }
        }
        ProgressBar {
            objectName: "progress"
            Layout.fillWidth: true
            from: 0
            to: root.sectionTitles.length - 1
            value: root.currentSection
            Accessible.name: qsTr("Section %1 of %2").arg(root.currentSection + 1).arg(root.sectionTitles.length)
        }
        MessageBanner {
            objectName: "saveError"
            text: root.editor.saveMessage
            Layout.fillWidth: true
            Layout.margins: 8
        }
        MessageBanner {
            objectName: "reviewNoteBanner"
            text: root.editor.reviewNote === "" ? ""
                  : qsTr("Returned by %1 with these notes:\n%2").arg(root.editor.reviewBy === "" ? qsTr("your supervisor") : root.editor.reviewBy).arg(root.readableNote())
            Layout.fillWidth: true
            // A long list of notes scrolls inside the banner: the sections stay on screen.
            maximumHeight: Math.max(96, root.height * 0.18)
            Layout.margins: 8
        }
        MessageBanner {
            text: AppController.message
            Layout.fillWidth: true
            Layout.margins: 8
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: nav
            objectName: "sectionList"
            visible: root.wide
            Layout.preferredWidth: 280
            Layout.fillHeight: true
            model: root.sectionTitles
            currentIndex: root.currentSection
            clip: true
            // Shown whenever the list is longer than the screen: the last sections are there.
            ScrollBar.vertical: ScrollBar { policy: nav.contentHeight > nav.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }
            delegate: ItemDelegate {
                required property int index
                required property string modelData
                // Read again when a submit lists new problems.
                readonly property int problems: root.editor.problems.count > 0 && !root.editor.submitting
                                                ? root.editor.problems.countIn(index) : 0
                objectName: "section_" + index
                width: ListView.view.width
                implicitHeight: Theme.touch
                highlighted: index === root.currentSection
                text: problems > 0 ? qsTr("%1 (%2)").arg(modelData).arg(problems) : modelData
                font.bold: highlighted
                Accessible.name: problems > 0 ? qsTr("%1, %n problem(s)", "", problems).arg(modelData) : modelData
                onClicked: root.goTo(index)
            }
        }

        ColumnLayout {
            // Whatever is left between the section list and the risk panel: a long line in
            // a section must not push the risk panel off the screen.
            Layout.fillWidth: true
            Layout.preferredWidth: 0
            Layout.minimumWidth: 0
            Layout.fillHeight: true
            spacing: 0
            clip: true  // nothing of the form is drawn under the risk panel

            BusyIndicator {
                visible: root.editor.loading
                running: visible
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                visible: !root.editor.editable && root.editor.incidentId !== ""
                text: root.editor.reviewable
                      ? qsTr("Submitted for your review: read it through, then approve or return it in Review and submit.")
                      : root.editor.state !== "" && (root.editor.mayDecide("allocate") || root.editor.mayDecide("close"))
                      ? qsTr("%1 and read-only: allocate it, move it to another officer in the case, or close it in Review and submit.").arg(root.editor.stateLabel)
                      : AppController.supervisor
                      ? qsTr("%1 and read-only.").arg(root.editor.stateLabel)
                      : qsTr("This 124D is with your supervisor and cannot be changed here.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.margins: 8
            }
            StackLayout {
                id: sections
                objectName: "sections"
                currentIndex: root.currentSection
                Layout.fillWidth: true
                Layout.fillHeight: true
                visible: root.editor.incidentId !== ""

                IncidentSection {}
                VictimsSection {}
                SuspectsSection {}
                ChildrenSection {}
                DashSection { id: dashSection; objectName: "dashSection" }
                GradeSection {}
                RaraSection {}
                PositiveActionSection {}
                EvidenceSection {}
                MaracSection {}
                ReviewSection {
                    sectionTitles: root.sectionTitles
                    onProblemActivated: (row) => root.activateProblem(row)
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.margins: 8
                spacing: Theme.gap
                Button {
                    objectName: "prevButton"
                    text: qsTr("Previous")
                    enabled: root.currentSection > 0 || (root.currentSection === IncidentEditor.DashSection && dashSection.step > 0)
                    implicitHeight: Theme.touch
                    implicitWidth: 160
                    Accessible.name: qsTr("Previous step")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Previous (Alt+Left or Page Up)")
                    onClicked: root.previous()
                }
                Label {
                    // Shrinks (and elides) before the buttons do: the row never runs under the risk panel.
                    text: qsTr("%1 of %2: %3").arg(root.currentSection + 1).arg(root.sectionTitles.length).arg(root.sectionTitles[root.currentSection])
                    color: Theme.muted
                    horizontalAlignment: Text.AlignHCenter
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                    Layout.minimumWidth: 0
                }
                Button {
                    objectName: "nextButton"
                    text: qsTr("Next")
                    highlighted: true
                    enabled: root.currentSection < root.sectionTitles.length - 1
                    implicitHeight: Theme.touch
                    implicitWidth: 160
                    Accessible.name: qsTr("Next step")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Next (Alt+Right or Page Down)")
                    onClicked: root.next()
                }
            }
        }

        RiskPanel {
            objectName: "riskPanel"
            visible: root.wide
            Layout.preferredWidth: 330
            Layout.maximumWidth: 330
            Layout.fillHeight: true
            clip: true
        }
    }

    Drawer {
        id: riskDrawer
        edge: Qt.RightEdge
        width: Math.min(360, root.width * 0.8)
        height: root.height
        RiskPanel {
            id: riskNarrow
            objectName: "riskPanelNarrow"
            anchors.fill: parent
        }
    }
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AnswerButtons</name>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes (Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer don&apos;t know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t know (D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not asked: the victim declined or could not answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not asked: a reason is needed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraCapture</name>
    <message>
        <source>Stop camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the camera to take a photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking photo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take photo: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <source>Back to my cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe contact: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim changed these</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Afraid of: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed by %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: NOT safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe times, e.g. Weekdays 10:00-15:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who the victim is afraid of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the victim&apos;s answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log a contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was said; how the victim is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions agreed (who does what)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next contact due, e.g. 2026-12-10 11:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next contact due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done in this contact: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record what happened (the victim must be told)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When (blank: now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When it happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breach %1: %2. Action: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breach: what happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the breach was</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action taken on the breach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log breach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made (blank: now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the order was made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ends, e.g. 2026-12-31 23:59</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the order ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conditions, as written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conditions of the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorised by (a notice: the inspector)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who authorised it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A step of the safety plan, and who does it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New safety plan step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contacts yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim agrees to her details going to victim services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hearing held (blank: now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given (blank: now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the hearing was held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the name and address were given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record hearing held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record name and address given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk re-assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 by %3: %4 yes, %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; graded %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-assess risk (RIC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-assess risk (DASH)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade as the answers give</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium (my judgement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High (my judgement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why, if you grade above the answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why you graded above the answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save re-assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim services: she agrees to her details going to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim services: she does not agree to her details going to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim services: not asked yet. Ask her whether her details may go to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>She agrees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>She does not agree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim does not agree to her details going to victim services</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadView</name>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n case</numerusform>
            <numerusform>%n cases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n overdue</source>
        <translation>
            <numerusform> · %n overdue</numerusform>
            <numerusform> · %n overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n due today</source>
        <translation>
            <numerusform> · %n due today</numerusform>
            <numerusform> · %n due today</numerusform>
        </translation>
    </message>
    <message>
        <source>My cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 risk, %3. %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildrenSection</name>
    <message>
        <source>Children and dependants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Child %1: name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age in years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age of child %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lives in the household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present at the incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove child %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a child or dependant</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoiceField</name>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor&apos;s note: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>The same field was changed on two devices without either seeing the other. Read both values, then keep the one shown or take the other.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed: both stand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the value shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take this value instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the other value: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conflicts to settle.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashSection</name>
    <message>
        <source>DASH risk assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the victim first: the questions are asked of each victim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why was it not asked? (needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. the suspect came back into the room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason the question was not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick all that apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (what was said, who answered if not the victim)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer first, then add a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note for this question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to a question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: opened by this answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 answered. They do not count toward the Yes total; they tell the MARAC and the investigator more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiversityFields</name>
    <message>
        <source>Diversity monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask each question; choose &quot;Not stated&quot; when the person would rather not say.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not asked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>Enrol this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your administrator gives you a one-time enrolment code (text or QR). Paste or type it below. It names the server this device will send records to, and it can be used only once, for a short time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vigil1:server:port:key:ABC123-…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code starts with vigil1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name for this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil tablet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvidenceSection</name>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First account taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photographs of injuries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photographs of the scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Early evidence kit used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body-worn video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent to medical evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>999 tape requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos are kept encrypted inside Vigil; location and camera details are removed. This device has no camera Vigil can use: add photos from a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caption, e.g. bruise on left forearm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caption for the next photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photo from file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No photos yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no caption)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove photo %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos (*.jpg *.jpeg *.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos are kept encrypted inside Vigil; location and camera details are removed. Take a photo with the camera, or add one from a file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedbackFormsSection</name>
    <message>
        <source>Feedback forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim&apos;s answers are anonymous and go to the central team, never into Vigil: record here that a form went to her, and how many responses came back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous responses received to the form %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1 issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the count of responses to the form %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue a form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How it reaches the victim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send by: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record form issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No feedback form issued yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldNote</name>
    <message>
        <source>Note for the officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a note for the officer on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your note for the officer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note for the officer on “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to put right here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to my notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FiguresReport</name>
    <message>
        <source>age band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ethnicity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>religion or belief</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sexual orientation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details to victim services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views sought before bail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FiguresView</name>
    <message>
        <source>Figures of the 124Ds on this device, by incident date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working the figures out…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last six months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crimes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Break the figure down by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 124Ds behind this number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open 124D %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradeBadge</name>
    <message>
        <source>Risk: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradeSection</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer&apos;s risk grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The computed band appears once the DASH questions are answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Computed from the DASH answers: %1 (%n Yes)</source>
        <translation>
            <numerusform>Computed from the DASH answers: %1 (%n Yes)</numerusform>
            <numerusform>Computed from the DASH answers: %1 (%n Yes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Your grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard: no indication of likely serious harm. Medium: could cause serious harm if circumstances change. High: serious harm could happen at any time. You may grade higher than computed on professional judgement, with a reason; never lower.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why you graded above the computed band (needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for your grade</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Signed in as %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drafts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No incidents on this device yet. Start one with New 124D; records you may see arrive when the device syncs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in this group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA queue (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n older 124D(s) on this device are not listed here: the list holds the newest 500, and every draft and returned 124D (up to 500 of each).</source>
        <translation>
            <numerusform>%n older 124D on this device is not listed here: the list holds the newest 500, and every draft and returned 124D (up to 500 of each).</numerusform>
            <numerusform>%n older 124Ds on this device are not listed here: the list holds the newest 500, and every draft and returned 124D (up to 500 of each).</numerusform>
        </translation>
    </message>
    <message>
        <source>Reviews (%1 overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA returns (%1 new)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All 124Ds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My cases (%1 overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My cases (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My 124Ds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentDelegate</name>
    <message>
        <source>Supervisor&apos;s notes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, %3, risk %4, %5, %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date not entered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentSection</name>
    <message>
        <source>Incident and references</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where it happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is this a crime or a non-crime domestic incident?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Non-crime incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The emergency call, e.g. 1234/12MAR10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIS reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The crime report, e.g. 4201234/10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed when this is a crime.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIMINT reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intelligence, e.g. 12345678</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MERLIN PAC reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children&apos;s pre-assessment check, e.g. 10MAB012345</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed when children or dependants live in the household.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Honour-based violence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forced marriage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FGM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stalking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat victim (known to you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LGBT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Police staff involved (restricted record)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter-allegation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both parties allege abuse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who appears to be the primary aggressor, and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offences, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Common assault
Criminal damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DDTHH:MM, e.g. 2026-03-12T21:40</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the record is restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed to restrict it or to change who is on its access list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serious sexual offence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may see this restricted 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To restrict it: write the reason above, name who may see it here (at least one user cleared for restricted records), then switch on “Police staff involved”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is named yet: name at least one user cleared for restricted records, or the station will refuse the restriction.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the users named here can see it once it syncs, whatever their team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from who may see it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil user id, e.g. dc.2231</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User to add to who may see it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add me</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentWizardPage</name>
    <message>
        <source>Incident and references</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children and dependants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DASH questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer&apos;s grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RARA actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positive action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals and MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review and submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to my incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the live risk panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, %n problem(s)</source>
        <translation>
            <numerusform>%1, %n problem</numerusform>
            <numerusform>%1, %n problems</numerusform>
        </translation>
    </message>
    <message>
        <source>This 124D is with your supervisor and cannot be changed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous (Alt+Left or Page Up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next (Alt+Right or Page Down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>victim %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by %1 with these notes:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk: no answers yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted for your review: read it through, then approve or return it in Review and submit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and read-only: allocate it, move it to another officer in the case, or close it in Review and submit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Vigil</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock Vigil now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor&apos;s desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim&apos;s case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaracSection</name>
    <message>
        <source>Referrals and MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No MARAC criterion is met so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC criteria met:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC referral decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer to MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not refer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why not (needed when not referring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer on professional judgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your professional judgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IDVA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim Support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Housing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Specialist HBV service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals to partner agencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No referrals recorded for this victim yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This referral is for a victim no longer on this 124D.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referral %1: to which agency?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date referred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving user in Vigil (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their user id, e.g. idva.smith</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They will be able to see this 124D.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes (name the agency)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who you spoke to, what was asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove referral %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a referral for this victim</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutcomeSection</name>
    <message>
        <source>As recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No outcome recorded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the crime&apos;s outcome when it is decided, and before the 124D is closed. It goes with the next sync, and the server checks it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This 124D is not a crime: record a later arrest or a domestic abuse homicide here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome of the crime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not decided yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 2026-12-07</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date the outcome was decided (year-month-day)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Court result (after a charge)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Court result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Court result on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of the court&apos;s result (year-month-day)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A suspect was arrested later (after the scene)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrested on, e.g. 2026-12-07</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of the later arrest (year-month-day)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A domestic abuse homicide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (why no further action; what the CPS or the court said)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional, but needed for no further action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note on the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the changes to the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PositiveActionSection</name>
    <message>
        <source>Positive action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did a power of arrest exist?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was an arrest made?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why no arrest was made (needed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PriorHistoryCard</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier records for this victim on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n earlier incident(s) in the last 12 months</source>
        <translation>
            <numerusform>%n earlier incident in the last 12 months</numerusform>
            <numerusform>%n earlier incidents in the last 12 months</numerusform>
        </translation>
    </message>
    <message>
        <source>last on %1, graded %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC referral on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no MARAC referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known to this device: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrivateTextArea</name>
    <message>
        <source>This box is full: it holds at most %1 characters, and nothing past that was added.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QaQueueView</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find by CAD or CRIS reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 waiting for review, %2 of them High. Showing %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, by %3, %4, waiting %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no victim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) · %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date not entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answers give %1, officer graded %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n MARAC criterion/criteria</source>
        <translation>
            <numerusform>%n MARAC criterion</numerusform>
            <numerusform>%n MARAC criteria</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n child(ren)</source>
        <translation>
            <numerusform>%n child</numerusform>
            <numerusform>%n children</numerusform>
        </translation>
    </message>
    <message>
        <source>HBV / forced marriage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing waiting for review. Submitted 124Ds in your scope arrive when this device syncs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No 124D in the queue matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QaReturnsView</name>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 28 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 91 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n new return(s) since you last looked</source>
        <translation>
            <numerusform>%n new return since you last looked</numerusform>
            <numerusform>%n new returns since you last looked</numerusform>
        </translation>
    </message>
    <message>
        <source>Mark all as seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections most often returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 returned to %2 by %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 returned to %2 by %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No 124D was returned in this period.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RaraSection</name>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reduce</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Managing the risk (RARA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk victims: consider a personal alarm, an address tag for urgent police response, and regular follow-up contact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will be done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove action %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a %1 action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>The board&apos;s figures, from the server: counts from 1 to 4 are given as &quot;fewer than 5&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This year to last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every borough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Borough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the server for the figures…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewSection</name>
    <message>
        <source>Review and submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitting sends this 124D to your supervisor for review. It goes with the next sync; without a signal it waits safely on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This 124D is with your supervisor (%1) and cannot be changed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resubmit for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>victim %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem in %1: %2. Activate to go to the field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your decision as supervisor. Approving checks every submission rule again; returning sends your notes to the officer. Either goes with the next sync, and the server checks it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes for the officer (needed to return it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One note a line, e.g.
refs.crimint: add the CRIMINT reference for the earlier call-out
Check the date of birth with the victim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes for the officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve this 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return to the officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return this 124D to the officer with the notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resubmit this 124D?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit this 124D?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil checks it first and lists anything to put right. If all is well it goes to your supervisor for review with the next sync (now, if there is a signal; otherwise it waits safely on this device). After that you cannot change it unless your supervisor returns it to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your grade for %1 (the officer graded %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason, when your grade differs from the officer&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your MARAC decision for %1 (the officer decided: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>do not refer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undecided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refer to MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not refer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason, when you do not refer or differ from the officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocate for investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close with this risk review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a review of the investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewing as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor (DS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector (DI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chief inspector (DCI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you reviewed: the risk now, the suspect, the victim&apos;s safety, the actions set and by when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record this review of the investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>risk %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sections: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next review due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is the officer in the case. Move the investigation to someone else, or close it with your final risk review. Either goes with the next sync, and the server checks it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: allocate it for investigation to the officer in the case, or close it with your final risk review. Either goes with the next sync, and the server checks it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: referral to MARAC is required, and approving refuses “Do not refer”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the investigation to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer in the case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name, user id or team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the officer in the case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2), %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the officer in the case should do first, or your final risk review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your final risk review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Take the victim&apos;s statement today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk now, and why the case can close.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do first, or final risk review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocate to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the officer in the case from the list to allocate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say what the officer in the case should do first to allocate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewsDueView</name>
    <message>
        <source>%1 investigations to review, %2 of them overdue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, %3, review by %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no victim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review by %1, due %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last review: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serious sexual offence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No investigation on this device is due a review. Approved and allocated 124Ds in your scope arrive when this device syncs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RiskMeetingView</name>
    <message>
        <source>Saved the meeting sheet to %1, readable by you only. Open it from there to print it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, outstanding %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason for no arrest written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason for no arrest written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, occurred %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date not entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIS %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrest made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor graded %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answers give %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>officer graded %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n MARAC criterion/criteria</source>
        <translation>
            <numerusform>%n MARAC criterion</numerusform>
            <numerusform>%n MARAC criteria</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n child(ren)</source>
        <translation>
            <numerusform>%n child</numerusform>
            <numerusform>%n children</numerusform>
        </translation>
    </message>
    <message>
        <source>HBV / forced marriage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outstanding %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the meeting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the meeting sheet as a PDF to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk incidents, last 24 hours (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk incidents of the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No High-risk incident in the last 24 hours on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outstanding suspects (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outstanding suspects: a power of arrest, no arrest recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No outstanding suspect: every 124D with a power of arrest on this device records an arrest.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RiskPanel</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live risk: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>victim %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a victim to see their risk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n Yes answer(s)</source>
        <translation>
            <numerusform>%n Yes answer</numerusform>
            <numerusform>%n Yes answers</numerusform>
        </translation>
    </message>
    <message>
        <source>Computed from the answers (%1 or more Yes is high). Don&apos;t know: %2 · Not asked: %3 · Still to answer: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your grade: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(raised above the computed band)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SPECSS+ factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None raised by the answers so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None met so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referral to MARAC is automatic for this incident.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat victim. </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No grade yet: it is worked out from the DASH answers as they are given.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetPinPage</name>
    <message>
        <source>Choose your PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled as %1 (%2). Your PIN unlocks the records on this device. Use 6 to 12 digits; not one digit repeated, not a run like 123456, not a common PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protecting your records…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key fingerprint (SPKI SHA-256): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device id: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled for: %1 (%2), %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after this many minutes without use:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes without use before Vigil locks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil keeps every record encrypted on this device and sends it only to the server above. It never shows victims&apos; names on the home screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe Vigil from this device?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n 124D(s) on this device have not reached the station yet. Wiping now destroys them for good. Sync first if you can.</source>
        <translation>
            <numerusform>%n 124D on this device has not reached the station yet. Wiping now destroys it for good. Sync first if you can.</numerusform>
            <numerusform>%n 124Ds on this device have not reached the station yet. Wiping now destroys them for good. Sync first if you can.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every 124D on this device has reached the station.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The records and keys on this device are destroyed and it must be enrolled again before it can be used. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep my records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe this device now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Erase every Vigil record and key from this device, for example before handing it in. Records already at the station are kept there; anything not yet sent is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe this device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Your force allows at most %n minute(s): your administrator sets this.</source>
        <translation>
            <numerusform>Your force allows at most %n minute: your administrator sets this.</numerusform>
            <numerusform>Your force allows at most %n minutes: your administrator sets this.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartingPage</name>
    <message>
        <source>Opening Vigil…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SuspectsSection</name>
    <message>
        <source>Suspects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove suspect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a suspect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>Sync status: %1. Open for details and Sync now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a new enrolment code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Vigil is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, enter your PIN to open your records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong PINs. You can try again in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s) left before this device erases its Vigil data.</source>
        <translation>
            <numerusform>%n attempt left before this device erases its Vigil data.</numerusform>
            <numerusform>%n attempts left before this device erases its Vigil data.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n 124D(s) on this device not yet sent to the station.</source>
        <translation>
            <numerusform>%n 124D on this device not yet sent to the station.</numerusform>
            <numerusform>%n 124Ds on this device not yet sent to the station.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VictimTabs</name>
    <message>
        <source>Victim %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show victim %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the victim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add another victim</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VictimsSection</name>
    <message>
        <source>Victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded yet. Each victim has their own safe-contact answers, DASH, grade and MARAC decision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>House number or name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship to the suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ex-partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the victim how it is safe to contact them. Every later contact is checked against these answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is it safe to phone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is it safe to send a text?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is it safe to leave a voicemail?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is it safe to email?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is it safe to visit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe times to contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who the victim is afraid of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consents to sharing information with partner agencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consents to a MARAC referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consents to obtaining medical records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lawful basis when shared without consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this victim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this victim?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their details, DASH answers, grade and actions are removed from this 124D.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 07700 900123</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The law that allows it, e.g. Crime and Disorder Act 1998 s.115</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why sharing without consent is necessary and proportionate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk to her or others that outweighs her wish not to share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed with a lawful basis: without it no referral can be made.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WipedPage</name>
    <message>
        <source>Vigil data erased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device no longer holds any Vigil records or keys. Ask your administrator for a new enrolment code, then start Vigil again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Vigil</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WizardField</name>
    <message>
        <source>Supervisor&apos;s note: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WizardSection</name>
    <message>
        <source>Supervisor&apos;s note on “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>%1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor (DS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector (DI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chief inspector (DCI)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Under investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to the officer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::AnalystReports</name>
    <message>
        <source>fewer than 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all but fewer than 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withheld</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (of a withheld number of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 %3 (%4%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No 124D was received in %1 in the boroughs asked for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The boroughs together</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::AppController</name>
    <message>
        <source>Response officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IDVA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analyst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked: sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two PINs are different. Type the same PIN in both boxes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>One more wrong PIN will erase all Vigil data on this device, including %n 124D(s) not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</source>
        <translation>
            <numerusform>One more wrong PIN will erase all Vigil data on this device, including %n 124D not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</numerusform>
            <numerusform>One more wrong PIN will erase all Vigil data on this device, including %n 124Ds not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</numerusform>
        </translation>
    </message>
    <message>
        <source>One more wrong PIN will erase all Vigil data on this device. If you are not sure of your PIN, stop and contact your supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proprietary, for police and partner agencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil could not wipe this device: %1 Nothing was erased; try again, or ask your administrator to wipe it remotely.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wiped: nothing to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You wiped Vigil from this device: its records and keys are destroyed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your administrator ordered Vigil wiped from this device (for example because it was reported lost): its records and keys are destroyed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station has been told.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station could not be told yet; Vigil tells it the next time it starts with a connection. Keep Vigil installed until then.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::CaseReassessment</name>
    <message>
        <source>Open a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk checklist could not be read. Reinstall Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a grade, or leave it as the answers give.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The re-assessment is saved. The grade it gives now stands for this victim; the 124D is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 yes so far: %2. %3 of %4 questions still to answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 yes: %2 (High from %3 yes).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::CaseView</name>
    <message>
        <source>The Victims&apos; Code deadlines or the bank-holiday list could not be read, so nothing due is shown. Reinstall Vigil, or tell your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose how you made contact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged: choose how you made contact and what came of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged: the next contact &quot;%1&quot; is not a date. Write it as 2026-12-10 or 2026-12-10 14:00.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact logged. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt logged. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case is now: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added to the safety plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked not done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: choose what happened and when (e.g. 2026-12-06 14:30).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded. What the victim must be told, and by when, is listed under Due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim&apos;s safe-contact answers are changed, with your name and the time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: choose the kind of order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: the order rules or the bank-holiday list could not be read. Reinstall Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: when it was made (&quot;%1&quot;) is not a date and time. Write it as 2026-12-06 14:30.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: when it ends (&quot;%1&quot;) is not a date and time. Write it as 2026-12-20 14:30.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 is recorded. Its end and any warning show under Orders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged: when the breach happened (&quot;%1&quot;) is not a date and time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breach logged. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, made %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next contact: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded: the victim agrees to her details going to victim services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded: the victim does not agree to her details going to victim services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the IDVA&apos;s case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the investigation&apos;s case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes kept by the IDVA&apos;s service: ask them if you need more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: &quot;%1&quot; is not a date and time. Write it as 2026-12-06 14:30.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hearing is recorded. If the court made an order, record it as a new order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded: the name and address were given to the police.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose how the form goes to the victim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: choose which form went to the victim and how.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback form recorded: %1, %2. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded: anonymous responses received to the form &quot;%1&quot;: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hearing held %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name and address given %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RIC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DASH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the charge decision: charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the charge decision: not charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback form: %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback form: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To issue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To issue if the suspect was charged</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::CaseloadModel</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>voicemail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No method recorded as safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(victim not named)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contact yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cases on this device. A victim referred to you, or an investigation allocated to you, arrives when this device syncs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::CaseworkController</name>
    <message>
        <source>The caseload could not be read: %1. Lock Vigil and unlock it; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Victims&apos; Code deadlines, the order rules or the bank-holiday list could not be read. Reinstall Vigil, or tell your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::ConflictListModel</name>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conflicts could not be read: %1. Lock Vigil, unlock it and open the list again; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not resolved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::FiguresReport</name>
    <message>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim&apos;s %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspect&apos;s %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domestic abuse incidents (124Ds received)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crimes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serious sexual offences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Honour-based violence or forced marriage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crimes with a power of arrest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrests where a power existed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIS reference recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIMINT reference recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incidents with children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MERLIN reference recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD reference recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD to CRIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium-risk victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC referrals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback forms issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>124Ds returned at QA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crimes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crimes with a power of arrest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incidents with children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incidents with a CAD reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 %3 (%4%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diversity lists of this installation cannot be read: reinstall Vigil or ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The figures could not be worked out: %1. Lock Vigil, unlock it and look again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crimes with an outcome recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sanction detections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cautioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prosecutions without the victim&apos;s support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No further action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charged crimes with a court result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrests made later (after the scene)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domestic abuse homicides</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crimes charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sanction detections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>court results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The crime outcome list of this installation cannot be read: reinstall Vigil or ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victim withdrew their support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims&apos; Code duty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims&apos; Code duties due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims&apos; Code duties done on time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat MARAC referrals (within 12 months)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigations due a review (at the period&apos;s end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue reviews</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>investigations due a review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::HomeListController</name>
    <message>
        <source>Made %1 synthetic incidents.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::IncidentEditor</name>
    <message>
        <source>Vigil could not find the field %1 in this 124D. Go back to the list and open it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your last change is kept on screen but is not saved yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not submitted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not submitted: %n problem(s) to put right first. Tap one to go to it.</source>
        <translation>
            <numerusform>Not submitted: %n problem to put right first. Tap it to go to it.</numerusform>
            <numerusform>Not submitted: %n problems to put right first. Tap one to go to it.</numerusform>
        </translation>
    </message>
    <message>
        <source>Submitted for review. It goes to the station with the next sync; you can see it in your list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That file is too large for a photo (over %1 MB). Choose a smaller photo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil could not read that file (%1). Check it is still there and choose it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not returned: write at least one note saying what to put right (a line may start with a field, e.g. &quot;refs.crimint: add the reference&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not approved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not returned: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not approved: %n problem(s) with the submission rules. Return it to the officer with notes on what to put right.</source>
        <translation>
            <numerusform>Not approved: %n problem with the submission rules. Return it to the officer with notes on what to put right.</numerusform>
            <numerusform>Not approved: %n problems with the submission rules. Return it to the officer with notes on what to put right.</numerusform>
        </translation>
    </message>
    <message>
        <source>Approved. The officer sees it with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to the officer with your notes. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every problem is put right: submit when ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera gave Vigil a picture it could not read. Take the photo again, or add it from a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not closed: write the final risk review (the risk now, and why the case can close).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allocated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed with your final risk review. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allocated: choose the officer in the case from the list, and say what they should do first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allocated: choose the officer in the case from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already the officer in the case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allocated: say what the officer in the case should do first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not moved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now the officer in the case. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocated to %1 for investigation. It goes with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim consents to sharing with partner agencies: referrals rest on her consent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The victim consents to a MARAC referral only. Any other agency needs her consent to share, or a lawful basis and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared without the victim&apos;s consent, on a lawful basis: %1. Why it applies is recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A lawful basis needs its justification: write why sharing without the victim&apos;s consent is necessary and proportionate, then add the referral.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A justification needs its lawful basis: name the law that allows sharing without the victim&apos;s consent, then add the referral.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No referral can be made yet: a referral shares the victim&apos;s details with a partner agency. Record her consent to share, or the lawful basis for sharing without it and why.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::IncidentListModel</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not sent: %n change(s)</source>
        <translation>
            <numerusform>Not sent: %n change</numerusform>
            <numerusform>Not sent: %n changes</numerusform>
        </translation>
    </message>
    <message>
        <source>Checklist: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::OfficerDirectoryModel</name>
    <message>
        <source>Investigator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List of officers from the server, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of officers arrives with this device&apos;s next sync. Connect to the network and sync, then choose the officer in the case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server lists nobody you can allocate to. Ask your administrator to check your scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody in the list matches &quot;%1&quot;. Try part of the name, the user id or the team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of officers could not be read: %1. Lock Vigil and unlock it; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::OutcomePanel</name>
    <message>
        <source>Recorded by %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, decided %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>court: %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arrested later, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a domestic abuse homicide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outcome cannot be shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: the officer in the case, an investigator or a supervisor records the crime&apos;s outcome, once the 124D has been submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not recorded: %n problem(s) to put right, each shown under its field.</source>
        <translation>
            <numerusform>Not recorded: %n problem to put right, shown under its field.</numerusform>
            <numerusform>Not recorded: %n problems to put right, each shown under its field.</numerusform>
        </translation>
    </message>
    <message>
        <source>Outcome recorded. It goes to the station with the next sync, and the server checks it again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::PhotoCamera</name>
    <message>
        <source>The camera was disconnected. Connect it again, or add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo was not taken: %1. Try again, or add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera could not start: this device has no camera Vigil can use. Add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera could not start: this device lacks the software Vigil needs to take photos (%1). Add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no still capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera could not start: %1. Add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the camera did not answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo was not taken: no 124D that can be changed is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera is not ready yet. Wait a moment and tap Take photo again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera is not running. Start the camera, or add the photo from a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo was not kept: its 124D was closed before the camera delivered it. Open the 124D and take the photo again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::QaQueueModel</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>The risk rules could not be read, so the queue cannot be graded. Reinstall Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue could not be read: %1. Lock Vigil, unlock it and open the queue again; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::ReturnsReport</name>
    <message>
        <source>Incident and references</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DASH questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RARA actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Positive action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals and MARAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review and submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The QA returns could not be read: %1. Lock Vigil, unlock it and look again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::ReviewsDueModel</name>
    <message>
        <source>Overdue by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review rules could not be read. Reinstall Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reviews due could not be read: %1. Lock Vigil, unlock it and look again; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::RiskMeetingListModel</name>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date not entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date &quot;%1&quot; not usable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (124D started %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (submitted %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::RiskMeetingModel</name>
    <message>
        <source>The risk rules could not be read, so the meeting&apos;s grades cannot be worked out. Reinstall Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk meeting could not be read: %1. Lock Vigil, unlock it and open the meeting again; if this repeats, tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily risk management meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily risk management meeting, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>124Ds in your scope on this device (%1). High-risk incidents of the last %2 hours, since %3; outstanding suspects of any age.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRIS %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answers %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>officer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC criteria: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>children: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HBV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forced marriage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restricted record: details withheld from the printed sheet; open it in Vigil.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-risk incidents since %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>References</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Victims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARAC, children, HBV/FM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officer (team)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outstanding suspects: a power of arrest, no arrest recorded (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrest made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for no arrest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written on the 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated by %1 with Vigil %2 at %3. This sheet holds victims&apos; initials and references only; restricted records are withheld. Keep it secure and destroy it after the meeting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unknown user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The meeting has not been read yet: wait until the lists show, then save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file name was given: choose where to save the meeting sheet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder: give a file name ending in .pdf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a file, not a folder: choose another folder, then save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 does not exist: create it or choose another folder, then save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil could not write %1 (%2): choose a folder you can write to, such as your Documents folder, and save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil could not make %1 private to you (%2): choose a folder on this computer&apos;s own disk, such as your Documents folder, and save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The meeting sheet could not be written to %1 (%2): check there is space on the disk, then save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The meeting sheet was saved, but the audit log could not record it: %1. Tell your IT service desk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::SupervisionPanel</name>
    <message>
        <source>QA: returned to the officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA: approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final risk review: closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review of the investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review by %1 due %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: say at which level you review (supervisor, inspector or chief inspector).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: re-assess the risk (High, Medium or Standard) as it stands now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: write what you reviewed: the risk now, the suspect, the victim&apos;s safety, and the actions set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review recorded. It goes to the station with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::SyncStatusBridge</name>
    <message>
        <source>Locked: sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Offline: %n change(s) waiting</source>
        <translation>
            <numerusform>Offline: %n change waiting</numerusform>
            <numerusform>Offline: %n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not sent: %n change(s) waiting</source>
        <translation>
            <numerusform>Not sent: %n change waiting</numerusform>
            <numerusform>Not sent: %n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) were refused by the server and are kept on this device; your supervisor can see why.</source>
        <translation>
            <numerusform>%n change was refused by the server and are kept on this device; your supervisor can see why.</numerusform>
            <numerusform>%n changes were refused by the server and are kept on this device; your supervisor can see why.</numerusform>
        </translation>
    </message>
    <message>
        <source>This device has not completed a sync yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last complete sync: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Vigil will try again by itself in %n second(s); &quot;Sync now&quot; tries at once.</source>
        <translation>
            <numerusform>Vigil will try again by itself in %n second; &quot;Sync now&quot; tries at once.</numerusform>
            <numerusform>Vigil will try again by itself in %n seconds; &quot;Sync now&quot; tries at once.</numerusform>
        </translation>
    </message>
</context>
</TS>

# Mails of the mentorship program. Every message the service uses must exist here
# (a test fails otherwise); other locales may leave some out and fall back to en-US.
# Placeables: $name is the reader's display name, $count a number of notifications.

mail-greeting = Hello { $name },
mail-open = Open it in the portal
mail-why = You get this e-mail because you take part in the mentorship program.
mail-stop = Stop these e-mails
mail-settings = You can also choose one daily summary in your notification settings.
mail-digest-subject =
    { $count ->
        [one] Your day in the mentorship program: one notification
       *[other] Your day in the mentorship program: { $count } notifications
    }
mail-digest-intro = Here is what happened since the last summary:
mail-digest-more =
    { $count ->
        [one] …and one more in the portal.
       *[other] …and { $count } more in the portal.
    }
unsubscribe-title = Stop e-mails from the mentorship program
unsubscribe-confirm = Stop e-mails
unsubscribe-done = You will get no more e-mails from the mentorship program. Your in-app notifications stay; you can turn e-mails on again in your notification settings.

kind-mentorship-started = A mentorship started
kind-mentorship-started-text = A mentor and a mentee were matched, and you are one of them. Reach out and plan your first meeting.
kind-mentorship-ended = A mentorship ended
kind-mentorship-ended-text = One of your mentorships has ended.
kind-mentor-reassigned = A mentee has a new mentor
kind-mentor-reassigned-text = A mentee moved to another mentor; you are one of the people concerned.
kind-support-request-opened = A support request arrived
kind-support-request-opened-text = Someone asked you for support. Read and answer it in the portal.
kind-support-request-routed = Your request went to the council
kind-support-request-routed-text = Your support request was sent to the council instead of your mentor.
kind-support-request-replied = A reply to a support request
kind-support-request-replied-text = There is a new reply in one of your support threads.
kind-support-request-escalated = A support request was escalated
kind-support-request-escalated-text = A request to a mentor went unanswered and now lies with the council.
kind-support-request-resolved = A support request was closed
kind-support-request-resolved-text = One of your support requests was resolved or closed.
kind-mentor-alert-opened = A mentor alert needs the council
kind-mentor-alert-opened-text = A mentor reported their load, or inactivity was detected. The council should look at it.
kind-mentor-alert-resolved = The council handled your alert
kind-mentor-alert-resolved-text = The council acted on an alert about your mentoring.
kind-mentor-back-from-break = Your break is over
kind-mentor-back-from-break-text = Your break from mentoring has ended; you take mentees again.
kind-check-in-due-soon = A check-in is due soon
kind-check-in-due-soon-text = The yearly meeting of one of your mentorships is due soon. Plan it or record it.
kind-check-in-overdue = A check-in is overdue
kind-check-in-overdue-text = The yearly meeting of one of your mentorships is overdue. Plan it or record it.
kind-mentor-unavailable = Your mentor seems unavailable
kind-mentor-unavailable-text = Your mentor seems unavailable for now. The portal says whom on the council to contact.
kind-role-guide-published = A new mentor role guide
kind-role-guide-published-text = A new version of the mentor role guide was published. Please read and acknowledge it.
kind-announcement-published = A council announcement
kind-announcement-published-text = The council published an announcement for you.
kind-relay-reminder = An announcement still needs relaying
kind-relay-reminder-text = An announcement for your mentees still waits for you to relay it.
kind-mentor-call-scheduled = A mentor call was planned
kind-mentor-call-scheduled-text = You are invited to a mentor call. Let the council know whether you come.
kind-mentor-application-received = A mentor application arrived
kind-mentor-application-received-text = A rep applied to become a mentor.
kind-mentor-application-updated = A mentor application moved on
kind-mentor-application-updated-text = A mentor application you take part in moved a step.

calendar-name = Mentorship program
calendar-check-in = Check-in: { $mentor } and { $mentee }
calendar-check-in-due = Check-in due: { $mentor } and { $mentee }
calendar-mentor-call = Mentor call

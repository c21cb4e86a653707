# Correos del programa de mentoría (español). Lo que falte aquí se toma de en-US.

mail-greeting = Hola, { $name }:
mail-open = Ábrelo en el portal
mail-why = Recibes este correo porque participas en el programa de mentoría.
mail-stop = No quiero más correos
mail-settings = También puedes elegir un resumen diario en tus preferencias de notificación.
mail-digest-subject =
    { $count ->
        [one] Tu día en el programa de mentoría: una notificación
       *[other] Tu día en el programa de mentoría: { $count } notificaciones
    }
mail-digest-intro = Esto es lo que pasó desde el último resumen:
mail-digest-more =
    { $count ->
        [one] …y una más en el portal.
       *[other] …y { $count } más en el portal.
    }
unsubscribe-title = Dejar de recibir correos del programa de mentoría
unsubscribe-confirm = Dejar de recibir correos
unsubscribe-done = No recibirás más correos del programa de mentoría. Tus notificaciones en la aplicación se mantienen; puedes volver a activar los correos en tus preferencias.

kind-mentorship-started = Comenzó una mentoría
kind-mentorship-started-text = Se emparejó a un mentor con un mentorado, y tú eres uno de ellos. Ponte en contacto y planead la primera reunión.
kind-mentorship-ended = Terminó una mentoría
kind-mentorship-ended-text = Una de tus mentorías ha terminado.
kind-mentor-reassigned = Un mentorado tiene un nuevo mentor
kind-mentor-reassigned-text = Un mentorado pasó a otro mentor; eres una de las personas implicadas.
kind-support-request-opened = Llegó una solicitud de apoyo
kind-support-request-opened-text = Alguien te pidió apoyo. Léela y respóndela en el portal.
kind-support-request-routed = Tu solicitud fue al consejo
kind-support-request-routed-text = Tu solicitud de apoyo se envió al consejo en lugar de a tu mentor.
kind-support-request-replied = Una respuesta a una solicitud de apoyo
kind-support-request-replied-text = Hay una respuesta nueva en una de tus conversaciones de apoyo.
kind-support-request-escalated = Se escaló una solicitud de apoyo
kind-support-request-escalated-text = Una solicitud a un mentor quedó sin respuesta y ahora la atiende el consejo.
kind-support-request-resolved = Se cerró una solicitud de apoyo
kind-support-request-resolved-text = Una de tus solicitudes de apoyo se resolvió o se cerró.
kind-mentor-alert-opened = Una alerta de mentor necesita al consejo
kind-mentor-alert-opened-text = Un mentor informó de su carga, o se detectó inactividad. El consejo debería revisarlo.
kind-mentor-alert-resolved = El consejo atendió tu alerta
kind-mentor-alert-resolved-text = El consejo actuó sobre una alerta acerca de tu mentoría.
kind-mentor-back-from-break = Tu pausa terminó
kind-mentor-back-from-break-text = Tu pausa como mentor terminó; vuelves a aceptar mentorados.
kind-check-in-due-soon = Pronto toca una reunión de seguimiento
kind-check-in-due-soon-text = La reunión anual de una de tus mentorías vence pronto. Planéala o regístrala.
kind-check-in-overdue = Una reunión de seguimiento está atrasada
kind-check-in-overdue-text = La reunión anual de una de tus mentorías está atrasada. Planéala o regístrala.
kind-mentor-unavailable = Tu mentor parece no estar disponible
kind-mentor-unavailable-text = Tu mentor parece no estar disponible por ahora. El portal indica a quién del consejo contactar.
kind-role-guide-published = Una nueva guía del rol de mentor
kind-role-guide-published-text = Se publicó una nueva versión de la guía del rol de mentor. Léela y confírmala.
kind-announcement-published = Un anuncio del consejo
kind-announcement-published-text = El consejo publicó un anuncio para ti.
kind-relay-reminder = Un anuncio aún debe transmitirse
kind-relay-reminder-text = Un anuncio para tus mentorados aún espera que lo transmitas.
kind-mentor-call-scheduled = Se planificó una llamada de mentores
kind-mentor-call-scheduled-text = Estás invitado a una llamada de mentores. Dile al consejo si asistirás.
kind-mentor-application-received = Llegó una solicitud para ser mentor
kind-mentor-application-received-text = Un rep solicitó ser mentor.
kind-mentor-application-updated = Una solicitud de mentor avanzó
kind-mentor-application-updated-text = Una solicitud de mentor en la que participas avanzó un paso.

calendar-name = Programa de mentoría
calendar-check-in = Reunión de seguimiento: { $mentor } y { $mentee }
calendar-check-in-due = Vence la reunión de seguimiento: { $mentor } y { $mentee }
calendar-mentor-call = Llamada de mentores

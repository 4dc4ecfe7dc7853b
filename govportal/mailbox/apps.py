from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "govportal.mailbox"
    label = "mailbox"
    verbose_name = "区长信箱"

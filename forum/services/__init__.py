"""Domain actions: they change the model and flush, and leave the commit to the view."""


class DomainError(Exception):
    """A rule of the forum was broken; `field` names the form field to show the message beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The member may not do this to this thing."""


class Gone(Exception):
    """What the request acts on was deleted by another request after this one read it: answered as a 404."""

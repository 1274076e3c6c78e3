"""Where a handover meets, as staff read it: in the form, the follow-up and the agendas."""

from booking.db.tables import Handover
from booking.domain.errors import N_

PLACES = {
    Handover.AT_AGENCY: N_("At the agency"),
    Handover.AT_POINT: N_("At the information point"),
    Handover.BY_VIDEO: N_("By video"),
}

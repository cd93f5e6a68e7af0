"""The closed lists of words the connection process is recorded in, beyond the facts a request carries.

Who acts, the states a survey task, a work order and a return visit pass through, and how far a deadline has
slipped: the domain's words, not HTTP's or a table's, so the HTTP shapes (`schemas`) and the tables
(`server.models`) both read them from here.
"""

#: The roles of a tenant's users (DESIGN "Tenants, roles, devices").
ROLES = ("crew", "engineer", "dispatcher", "admin")
#: A joint survey task (联合踏勘), from its creation to the engineer's approval.
TASK_STATUSES = ("new", "assigned", "on_site", "submitted", "returned", "approved", "cancelled")
#: A work order (工单), from the approval to closing.
WORK_ORDER_STATUSES = ("created", "assigned", "in_progress", "completed", "connected", "closed")
#: 超期预警督办: a deadline near (预警), missed (超期), escalated to the tenant's admins (督办).
ALERT_LEVELS = ("warning", "overdue", "escalation")
#: How far an alert's message has got: waiting, delivered, or given up on after its attempts.
NOTIFICATION_STATES = ("pending", "sent", "parked")
#: A return visit (回访): whether the connection is called back, and what the customer said.
VISIT_STATUSES = ("not_selected", "scheduled", "done")
VISIT_RESULTS = ("satisfied", "dissatisfied")
#: 004 四(一)5 分性别登记: the gender of the enterprise's owner, for the aggregated report only.
GENDERS = ("female", "male")

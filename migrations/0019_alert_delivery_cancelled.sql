-- An alert whose rule was disabled (by its owner, or by a 410) before the alert went out ends
-- 'cancelled': it is never sent, since enabling the rule again forgets the incident and a spike
-- still going raises a new alert. Alerts of disabled rules still pending now are cancelled too:
-- left pending, the evaluation sweep would queue them again every tick for a day.
alter table alerts drop constraint alerts_delivery_status_check;
alter table alerts add constraint alerts_delivery_status_check
  check (delivery_status in ('pending', 'delivered', 'failed', 'gone', 'refused', 'cancelled'));
update alerts a set delivery_status = 'cancelled', updated_at = now()
from alert_rules r
where r.id = a.rule_id and not r.enabled and a.delivery_status = 'pending';

"""The lists: a team's follow-up for today, "not reporting", the health station's escalations,
a person's history; each inside the actor's jurisdiction."""

from chongdich.core.testing import at
from chongdich.monitoring import selectors, services
from chongdich.monitoring.domain import StateKind
from chongdich.monitoring.models import Escalation
from chongdich.monitoring.selectors import ListFilters
from chongdich.monitoring.tests.base import MonitoringWorld
from chongdich.monitoring.tests.factories import released_placement


class TeamFollowUp(MonitoringWorld):
    def rows(self, persona="tracer"):
        return selectors.team_followup(actor=self.users[persona], team=self.team)

    def test_the_team_sees_its_households_monitored_people_only(self):
        self.assertEqual({r.person for r in self.rows()}, {self.an, self.binh})  # Chi is not monitored

    def test_someone_silent_for_a_day_is_not_reporting_and_comes_first(self):
        self.check(self.an, checked_at=at(19, 8))  # 25 h ago
        self.check(self.binh, checked_at=at(19, 10))  # 23 h ago
        rows = self.rows()
        self.assertEqual([(r.person, r.state.kind) for r in rows],
                         [(self.an, StateKind.NOT_REPORTING), (self.binh, StateKind.OK)])
        self.assertEqual(rows[0].state.silent_since, at(19, 8))

    def test_someone_placed_less_than_a_day_ago_is_not_yet_silent(self):
        self.at_time(at(19, 7))
        binh = next(r for r in self.rows() if r.person == self.binh)
        self.assertEqual((binh.state.kind, binh.last_checked_at), (StateKind.OK, None))

    def test_a_row_says_whether_today_s_check_is_done_and_how_many_days_are_left(self):
        self.check(self.binh, temperature="37.8", checked_at=at(20, 7))
        binh = next(r for r in self.rows() if r.person == self.binh)
        # placed 18 May for 14 days (to 31 May) + 14 days of monitoring (to 14 June)
        self.assertEqual((binh.checked_today, binh.last_level, binh.days_left, binh.household), (True, "fever", 26, self.home))

    def test_a_check_yesterday_is_not_today_s(self):
        self.check(self.binh, checked_at=at(19, 20))
        binh = next(r for r in self.rows() if r.person == self.binh)
        self.assertFalse(binh.checked_today)

    def test_needing_escalation_comes_before_everything(self):
        self.check(self.binh, spo2=93)
        self.assertEqual([(r.person, r.state.kind) for r in self.rows()][0], (self.binh, StateKind.NEEDS_ESCALATION))

    def test_the_team_list_is_one_query(self):
        self.check(self.an)
        self.check(self.binh, spo2=93)
        with self.assertNumQueries(2):  # the rule set in force, then the list
            self.rows()


class WiderLists(MonitoringWorld):
    def test_not_reporting_in_the_district_lists_the_longest_silent_first(self):
        self.check(self.binh, checked_at=at(19, 7))
        rows = selectors.not_reporting_list(actor=self.users["district_epi"])
        # Dũng (A2) placed 16 May, An placed 15 May, Bình's last check 19 May 7:00; Giang is in B1
        self.assertEqual([p.person for p in rows], [self.an, self.dung, self.binh])

    def test_someone_released_from_a_facility_elsewhere_is_followed_where_they_live(self):
        released_placement(self.chi, ended_at=at(18, 10), in_facility=None)
        far = released_placement(self.giang, ended_at=at(18, 10))  # Giang: B1
        far.commune_id = self.units["commune_a1"].pk  # …but the facility was in A1
        far.save()
        people = {p.person for p in selectors.monitored_list(actor=self.users["commune_officer"])}
        self.assertIn(self.chi, people)
        self.assertNotIn(self.giang, people)

    def test_the_figures_count_each_state(self):
        self.check(self.binh, spo2=92)
        counts = selectors.monitoring_counts(actor=self.users["district_epi"])
        # An, Bình (A1), Dũng (A2); Dũng in no household; An and Dũng silent since placement
        self.assertEqual((counts.monitored, counts.needs_escalation, counts.not_reporting, counts.no_team), (3, 1, 2, 1))

    def test_state_filters_give_what_the_figures_count(self):
        self.check(self.binh, spo2=92)
        actor = self.users["district_epi"]
        for state, expected in ((StateKind.NEEDS_ESCALATION, {self.binh}), (StateKind.NOT_REPORTING, {self.an, self.dung}),
                                ("no_team", {self.dung}), ("unchecked_today", {self.an, self.dung})):
            with self.subTest(state=state):
                rows = selectors.monitored_list(actor=actor, filters=ListFilters(state=state))
                self.assertEqual({p.person for p in rows}, expected)

    def test_an_outsider_sees_none_of_commune_a1(self):
        people = {p.person for p in selectors.monitored_list(actor=self.users["outsider"])}
        self.assertEqual(people, {self.giang})


class StationList(MonitoringWorld):
    def test_open_escalations_oldest_first_and_resolved_ones_apart(self):
        self.check(self.binh, spo2=93, checked_at=at(20, 6))
        self.check(self.an, symptoms=["dyspnoea"], checked_at=at(20, 7))
        self.check(self.dung, persona="district_epi", spo2=90, checked_at=at(20, 8))
        services.escalation_resolve(actor=self.users["district_epi"], escalation=Escalation.objects.get(person=self.dung),
                                    action="called_115", note="Đã gọi 115")
        station = self.users["commune_officer"]
        self.assertEqual([e.person for e in selectors.escalation_list(actor=station)], [self.binh, self.an])
        resolved = selectors.escalation_list(actor=self.users["district_epi"], status="resolved")
        self.assertEqual([e.person for e in resolved], [self.dung])

    def test_the_outsider_station_sees_nothing_of_a1(self):
        self.check(self.binh, spo2=93)
        self.assertEqual(list(selectors.escalation_list(actor=self.users["outsider"])), [])


class History(MonitoringWorld):
    def test_the_history_is_newest_first(self):
        first = self.check(self.an, checked_at=at(19, 8))
        second = self.check(self.an, checked_at=at(20, 8))
        self.assertEqual(selectors.check_history(actor=self.users["tracer"], person_id=self.an.pk), [second, first])

    def test_an_outsider_sees_no_history(self):
        self.check(self.an)
        self.assertEqual(selectors.check_history(actor=self.users["outsider"], person_id=self.an.pk), [])

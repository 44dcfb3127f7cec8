"""Community teams and households through the services."""

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import make_user
from chongdich.monitoring import selectors, services
from chongdich.monitoring.models import Household, TeamMember
from chongdich.monitoring.tests.base import MonitoringWorld
from chongdich.people.services import person_create


class Teams(MonitoringWorld):
    def test_an_officer_creates_a_team_in_their_commune(self):
        team = services.team_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                    name="Tổ 2 thôn Bắc")
        self.assertEqual((team.commune, team.district, team.province),
                         (self.units["commune_a1"], self.units["district_a"], self.units["province"]))

    def test_two_teams_of_a_commune_have_different_names(self):
        with self.assertRaises(Conflict) as caught:
            services.team_create(actor=self.users["province_leader"], commune=self.units["commune_a1"],
                                 name="tổ 1")
        self.assertEqual(caught.exception.field, "name")

    def test_a_team_lives_in_a_commune(self):
        with self.assertRaises(InvalidInput):
            services.team_create(actor=self.users["province_leader"], commune=self.units["district_a"], name="X")

    def test_an_outsider_does_not_find_the_commune(self):
        with self.assertRaises(NotFound):
            services.team_create(actor=self.users["outsider"], commune=self.units["commune_a1"], name="Tổ lạ")

    def test_a_tracer_may_not_create_teams(self):
        with self.assertRaises(PermissionDenied):
            services.team_create(actor=self.users["tracer"], commune=self.units["commune_a1"], name="Tổ 3")

    def test_a_volunteer_is_a_member_with_a_name_and_a_phone(self):
        member = services.team_member_add(actor=self.users["commune_officer"], team=self.team,
                                          full_name="Hà Văn Tình", phone="+84 912 000 111")
        self.assertEqual((member.user, member.phone, member.is_leader), (None, "0912000111", False))

    def test_a_new_leader_replaces_the_old_one(self):
        member = services.team_member_add(actor=self.users["commune_officer"], team=self.team,
                                          full_name="Hà Văn Tình", is_leader=True)
        self.assertEqual(list(TeamMember.objects.filter(team=self.team, is_leader=True)), [member])

    def test_an_account_from_another_commune_cannot_join(self):
        with self.assertRaises(InvalidInput) as caught:
            services.team_member_add(actor=self.users["province_leader"], team=self.team, user=self.users["outsider"])
        self.assertEqual(caught.exception.field, "user")

    def test_an_account_joins_a_team_once(self):
        with self.assertRaises(Conflict):
            services.team_member_add(actor=self.users["commune_officer"], team=self.team, user=self.users["tracer"])

    def test_the_tracer_finds_their_team(self):
        self.assertEqual(list(selectors.teams_of_user(actor=self.users["tracer"])), [self.team])

    def test_an_inactive_team_takes_no_households(self):
        services.team_update(actor=self.users["commune_officer"], team=self.team, active=False)
        with self.assertRaises(Conflict):
            services.households_assign(actor=self.users["commune_officer"], team=self.team, households=[self.home])


class Households(MonitoringWorld):
    def test_a_household_has_its_members_and_head(self):
        self.assertEqual(self.home.head, self.an)
        self.assertEqual([m.person for m in selectors.household_members(household=self.home)], [self.an, self.binh])

    def test_a_person_lives_in_one_household(self):
        with self.assertRaises(Conflict) as caught:
            services.household_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                      address="5 Đường Nam", members=[self.binh])
        self.assertEqual(caught.exception.field, "person")

    def test_members_live_in_the_households_commune(self):
        with self.assertRaises(InvalidInput):
            services.household_create(actor=self.users["province_leader"], commune=self.units["commune_a1"],
                                      address="5 Đường Nam", members=[self.dung])

    def test_a_failed_household_leaves_nothing_behind(self):
        before = Household.objects.count()
        with self.assertRaises(Conflict):
            services.household_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                      address="5 Đường Nam", members=[self.binh])
        self.assertEqual(Household.objects.count(), before)

    def test_a_tracer_adds_a_household_to_their_own_team(self):
        newcomer = person_create(actor=self.users["tracer"], commune=self.units["commune_a1"], full_name="Mai")
        household = services.household_create(actor=self.users["tracer"], commune=self.units["commune_a1"],
                                              address="8 Đường Nam", members=[newcomer], team=self.team)
        self.assertEqual(household.team, self.team)

    def test_a_tracer_may_not_fill_another_team(self):
        other = services.team_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"], name="Tổ 2")
        with self.assertRaises(PermissionDenied):
            services.household_update(actor=self.users["tracer"], household=self.chi_home, team=other)

    def test_removing_the_head_leaves_the_household_headless(self):
        services.household_member_remove(actor=self.users["tracer"], household=self.home, person=self.an)
        self.home.refresh_from_db()
        self.assertIsNone(self.home.head)

    def test_assigning_households_moves_them_to_the_team(self):
        other = services.team_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"], name="Tổ 2")
        moved = services.households_assign(actor=self.users["commune_officer"], team=other,
                                           households=[self.home, self.chi_home])
        self.assertEqual(moved, 2)
        self.assertEqual(set(Household.objects.filter(team=other)), {self.home, self.chi_home})

    def test_a_household_of_another_commune_cannot_join_the_team(self):
        elsewhere = services.household_create(actor=self.users["province_leader"], commune=self.units["commune_a2"],
                                              address="1 Phố Chợ", members=[self.dung])
        with self.assertRaises(InvalidInput):
            services.households_assign(actor=self.users["province_leader"], team=self.team, households=[elsewhere])

    def test_an_outsider_does_not_find_the_household(self):
        with self.assertRaises(NotFound):
            selectors.household_get(actor=self.users["outsider"], household_id=self.home.pk)

    def test_a_commune_tracer_with_no_team_may_still_register_households(self):
        tracer = make_user(self.units["commune_a1"], "tracer")
        household = services.household_create(actor=tracer, commune=self.units["commune_a1"], address="9 Ngõ")
        self.assertIsNone(household.team)

from yrkesbro.testing import PASSWORD


def test_pages_render(client, setup):
    client.login(username=setup.world.a.editor.username, password=PASSWORD)
    a = setup.agreement()
    for url in [
        "/collaboration/",
        setup.partnership.get_absolute_url(),
        f"/collaboration/partnerships/{setup.partnership.pk}/edit/",
        f"/collaboration/partnerships/{setup.partnership.pk}/people/",
        f"/collaboration/partnerships/{setup.partnership.pk}/agreements/new/",
        f"/collaboration/partnerships/{setup.partnership.pk}/forums/new/",
        a.get_absolute_url(),
        f"/collaboration/agreements/{a.pk}/edit/",
        f"/collaboration/agreements/{a.pk}/compare/",
        f"/collaboration/agreements/{a.pk}/document/",
        setup.forum.get_absolute_url(),
        f"/collaboration/forums/{setup.forum.pk}/edit/",
        f"/collaboration/forums/{setup.forum.pk}/meetings/new/",
        setup.meeting.get_absolute_url(),
        f"/collaboration/meetings/{setup.meeting.pk}/edit/",
        f"/collaboration/organisations/{setup.world.a.org.pk}/",
        "/collaboration/notifications/",
        "/collaboration/calendars/",
        "/collaboration/structure-types/",
        "/collaboration/partnerships/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from govportal.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap_xml"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sitemap/", core_views.site_map, name="site_map"),
    path("elder/", core_views.elder_toggle, name="elder_toggle"),
    path("search/", core_views.search, name="search"),
    path("disclosure/requests/", include("govportal.disclosure.request_urls")),
    path("reports/", include("govportal.reports.urls")),
    path("mailbox/", include("govportal.interaction.mailbox.urls")),
    path("surveys/", include("govportal.interaction.surveys.urls")),
    path("interviews/", include("govportal.interaction.interviews.urls")),
    path("knowledge/", include("govportal.interaction.knowledge.urls")),
    path("captcha/", include("captcha.urls")),
]

if settings.SERVE_MEDIA:
    # Embedded deployment: Django serves uploads. Behind nginx, nginx serves /media/ instead.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "govportal.core.views.bad_request"
handler404 = "govportal.core.views.page_not_found"
handler500 = "govportal.core.views.server_error"

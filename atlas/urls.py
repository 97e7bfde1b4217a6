from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("map/<int:year>/", views.year_map, name="year-map"),
    path("present/", views.present, name="present"),
    path("embed/<int:year>/", views.embed, name="embed"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("treaties/<slug:slug>/", views.treaty_detail, name="treaty"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("api/features.geojson", views.api_features, name="api-features"),
    path("api/treaties.json", views.api_treaties, name="api-treaties"),
    path("data/<str:name>", views.data_file, name="data-file"),
    path("language/<str:code>/", views.choose_language, name="language"),
    path("admin/", admin.site.urls),
]

from django.urls import path

from knowledge import views

urlpatterns = [
    path("", views.learn, name="learn"),
    path("nutrients/<slug:code>/", views.nutrient, name="nutrient"),
    path("foods/", views.foods, name="foods"),
    path("about-leg-cramps/", views.about, name="about_cramps"),
    path("see-a-clinician/", views.see_a_clinician, name="see_a_clinician"),
    path("sources/", views.sources, name="sources"),
]

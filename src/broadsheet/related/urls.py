app_name = "related"

urlpatterns = []

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bookwise.accounts.selectors import visible_accounts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    accounts = visible_accounts(user=request.user)
    return render(request, "dashboard/home.html", {"account_count": accounts.count()})

"""The account-configuration endpoints: menus, conditional menus, tags, templates, industry, auto-reply."""

from __future__ import annotations

import itertools
from typing import Any

from oa_spec import limits
from oa_spec.emulator.base import Call, EmulatorStore
from oa_spec.emulator.state import (
    OK,
    RULE_FIELDS,
    ApiError,
    App,
    Json,
    checked_buttons,
    industry_doc,
    link_domains,
    menu_get_shape,
    selfmenu_shape,
    tag_field,
    template_id_for,
)


class AccountHandlers(EmulatorStore):
    """Handlers of the account's configuration; each takes the call and its app and answers JSON."""

    # -- menus --
    def _menu_create(self, call: Call, app: App) -> Json:
        buttons = checked_buttons(call.body)
        app.menu, app.selfmenu = buttons, None  # the API menu replaces a console-set one
        app.menuid = app.new_menuid()
        return OK

    def _menu_get(self, call: Call, app: App) -> Json:
        if app.menu is None:
            raise ApiError(46003)
        menu: Json = {"button": menu_get_shape(app.menu)}
        if not app.conditional:
            return {"menu": menu}
        menu["menuid"] = app.menuid
        conditional = [{"button": menu_get_shape(m["button"]), "matchrule": self._echoed(m["matchrule"]),
                        "menuid": m["menuid"]} for m in app.conditional]
        return {"menu": menu, "conditionalmenu": conditional}

    def _echoed(self, rule: Json) -> Json:
        """A stored rule as menu/get answers it: the tag as tag_id, group_id (a number) or both."""
        if "tag_id" not in rule or self.matchrule_echo == "tag_id":
            return dict(rule)
        echoed = {**rule, "group_id": int(rule["tag_id"])}
        if self.matchrule_echo == "group_id":
            echoed.pop("tag_id")
        return echoed

    def _try_match(self, call: Call, app: App) -> Json:
        """The menu a follower sees: the newest conditional menu whose rule fits them, else the default."""
        user_id = str(call.body.get("user_id") or "")
        user = next((u for u in app.users if u["openid"] == user_id), None)
        if user is None:
            raise ApiError(40003)
        if app.menu is None:
            raise ApiError(46003)
        for menu in reversed(app.conditional):
            rule = menu["matchrule"]
            if ("tag_id" not in rule or int(rule["tag_id"]) in user["tagid_list"]) and \
                    rule.get("client_platform_type") in (None, user["client_platform_type"]):
                return {"button": menu_get_shape(menu["button"])}
        return {"button": menu_get_shape(app.menu)}

    def _menu_delete(self, call: Call, app: App) -> Json:
        app.menu, app.selfmenu, app.conditional = None, None, []
        return OK

    def _selfmenu_info(self, call: Call, app: App) -> Json:
        if app.menu is not None:
            return {"is_menu_open": 1, "selfmenu_info": {"button": selfmenu_shape(app.menu)}}
        if app.selfmenu is not None:
            return app.selfmenu
        return {"is_menu_open": 0, "selfmenu_info": {"button": []}}  # UNCONFIRMED shape for "no menu"

    def _add_conditional(self, call: Call, app: App) -> Json:
        if app.menu is None:
            raise ApiError(65303)
        rule = self._checked_rule(call.body.get("matchrule"), app)
        buttons = checked_buttons(call.body)
        if len(app.conditional) >= limits.MAX_CONDITIONAL_MENUS:
            raise ApiError(65305)
        domains = set(itertools.chain(link_domains(buttons), *(link_domains(m["button"]) for m in app.conditional)))
        if len(domains) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
            raise ApiError(65316)
        menuid = app.new_menuid()
        app.conditional.append({"button": buttons, "matchrule": rule, "menuid": menuid})
        return {"menuid": str(menuid)}  # a string here, a number in menu/get

    def _checked_rule(self, raw: Any, app: App) -> dict[str, str]:
        if not isinstance(raw, dict):
            raise ApiError(65304)
        values = {("tag_id" if k == "group_id" else k): str(v) for k, v in raw.items() if v not in (None, "")}
        rule = {k: values[k] for k in RULE_FIELDS if k in values}
        if any(k in rule for k in limits.PRIVACY_MATCH_FIELDS):
            raise ApiError(65320)
        if not rule:
            raise ApiError(65304)
        if "tag_id" in rule:
            app.tag(rule["tag_id"])
        return rule

    def _del_conditional(self, call: Call, app: App) -> Json:
        menuid = str(call.body.get("menuid", ""))
        kept = [m for m in app.conditional if str(m["menuid"]) != menuid]
        if len(kept) == len(app.conditional):
            raise ApiError(65301)
        app.conditional = kept
        return OK

    # -- tags --
    def _tags_get(self, call: Call, app: App) -> Json:
        return {"tags": [dict(t) for t in app.tags]}

    def _tags_create(self, call: Call, app: App) -> Json:
        name = tag_field(call.body, "name")
        self._check_tag_name(app, str(name), None)
        if sum(t["id"] not in limits.RESERVED_TAG_IDS for t in app.tags) >= limits.MAX_TAGS:
            raise ApiError(45056)
        tag = {"id": app.next_tag_id, "name": name, "count": 0}
        app.next_tag_id += 1
        app.tags.append(tag)
        return {"tag": {"id": tag["id"], "name": name}}

    def _tags_update(self, call: Call, app: App) -> Json:
        tag = self._user_tag(app, tag_field(call.body, "id"))
        name = str(tag_field(call.body, "name"))
        self._check_tag_name(app, name, tag["id"])
        tag["name"] = name
        return OK

    def _tags_delete(self, call: Call, app: App) -> Json:
        tag = self._user_tag(app, tag_field(call.body, "id"))
        if tag["count"] > 100_000:
            raise ApiError(45057)
        app.tags.remove(tag)
        for menu in app.conditional:  # the platform drops the tag from conditional menus' rules
            rule = menu["matchrule"]
            menu["matchrule"] = {k: v for k, v in rule.items()
                                 if not (k in ("tag_id", "group_id") and str(v) == str(tag["id"]))}
        return OK

    @staticmethod
    def _user_tag(app: App, tag_id: Any) -> Json:
        if str(tag_id) in {str(i) for i in limits.RESERVED_TAG_IDS}:
            raise ApiError(45058)
        return app.tag(tag_id)

    @staticmethod
    def _check_tag_name(app: App, name: str, own_id: int | None) -> None:
        if not name or limits.utf8_len(name) > limits.TAG_NAME_BYTES:
            raise ApiError(45158)
        if any(t["name"] == name and t["id"] != own_id for t in app.tags):
            raise ApiError(45157)

    # -- templates and industry --
    def _templates_get(self, call: Call, app: App) -> Json:
        return {"template_list": [dict(t) for t in app.templates]}

    def _template_add(self, call: Call, app: App) -> Json:
        short = str(call.body.get("template_id_short") or "")
        entry = self.library.get(short)
        if entry is None:
            raise ApiError(40037)
        if len(app.templates) >= limits.MAX_TEMPLATES:
            raise ApiError(45026)
        if entry.get("primary_industry") and limits.industry_code(
                f"{entry['primary_industry']}/{entry.get('deputy_industry', '')}") not in (app.industry or ()):
            raise ApiError(45027)
        template_id = template_id_for(app.appid, app.next_template)
        app.next_template += 1
        app.templates.append({"template_id": template_id, "title": entry["title"],
                              "primary_industry": entry.get("primary_industry", ""),
                              "deputy_industry": entry.get("deputy_industry", ""),
                              "content": entry.get("content", ""), "example": entry.get("example", "")})
        return {**OK, "template_id": template_id}

    def _template_delete(self, call: Call, app: App) -> Json:
        template_id = str(call.body.get("template_id") or "")
        kept = [t for t in app.templates if t["template_id"] != template_id]
        if len(kept) == len(app.templates):
            raise ApiError(40037)
        app.templates = kept
        return OK

    def _set_industry(self, call: Call, app: App) -> Json:
        codes = [str(call.body.get(k, "")) for k in ("industry_id1", "industry_id2")]
        if any(c not in limits.INDUSTRIES for c in codes):
            raise ApiError(47001)  # UNCONFIRMED: the code for an unknown industry id is not documented
        app.industry = codes  # the once-a-month limit is not enforced (UNCONFIRMED which model applies)
        return OK

    def _get_industry(self, call: Call, app: App) -> Json:
        if app.industry is None:
            return {}  # UNCONFIRMED: what an account that never chose industries gets
        return {"primary_industry": industry_doc(app.industry[0]),
                "secondary_industry": industry_doc(app.industry[1])}

    def _autoreply(self, call: Call, app: App) -> Json:
        return app.autoreply or {"is_add_friend_reply_open": 0, "is_autoreply_open": 0}

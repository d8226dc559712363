# Issue 18: the stock Fedify actor, a member of `accueil` (it follows the Group), sees a
# poll as a `Question` and votes as Mastodon does (a `Note` whose `name` is the option,
# replying to the question); the host counts the vote and announces the new totals.
# Sourced by ./run after its community checks: it uses run's helpers (http, control,
# json_test, wait_inbox, ok, not_ok) and variables (base, group, token, peer_actor).

poll_checks=(
  "alice opens a poll in accueil through the API"
  "the group's Announce{Create{Question}} reaches Fedify, verified"
  "Fedify looks up the poll: a Question with its oneOf options"
  "Fedify votes with a Note named after an option, inReplyTo the Question, and entrepairs answers 2xx"
  "the host counts Fedify's vote"
  "the group announces the new totals: Fedify receives the Update{Question}, verified"
)

poll_id="" poll_ap=""
if [[ -n "$token" ]]; then
  http POST "$base/api/v1/communities/accueil/polls" '{"title":"Permanence du samedi : quel horaire ?","options":["Le matin","L'"'"'après-midi"],"end_time":"2099-01-01T12:00"}' "application/json" "Bearer $token"
  if [[ "$STATUS" == 201 ]]; then
    poll_id="$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "$BODY")"
    poll_ap="$(node -e 'console.log(JSON.parse(process.argv[1]).ap_id)' "$BODY")"
  fi
fi
if [[ -n "$poll_ap" ]]; then
  ok "${poll_checks[0]}"
else
  not_ok "${poll_checks[0]}" "$STATUS $BODY"
fi

if [[ -n "$poll_ap" ]] &&
  wait_inbox "j.some(a => a.type === 'Announce' && a.actor === '$group' && a.verified === true && JSON.stringify(a.raw).includes('Question') && JSON.stringify(a.raw).includes('$poll_ap'))"; then
  ok "${poll_checks[1]}"
else
  not_ok "${poll_checks[1]}" "no verified Announce of the Question $poll_ap from $group: $BODY"
fi

if [[ -n "$poll_ap" ]]; then control POST lookup "{\"target\":\"$poll_ap\"}"; fi
if [[ -n "$poll_ap" && "$STATUS" == 200 ]] &&
  json_test "j.type === 'Question' && j.id === '$poll_ap' && JSON.stringify(j).includes('Le matin') && JSON.stringify(j).includes('oneOf')"; then
  ok "${poll_checks[2]}"
else
  not_ok "${poll_checks[2]}" "$STATUS $BODY"
fi

vote_note=""
if [[ -n "$poll_ap" ]]; then
  control POST send-vote "{\"to\":\"$group\",\"question\":\"$poll_ap\",\"name\":\"Le matin\"}"
  if [[ "$STATUS" == 200 ]]; then
    vote_note="$(node -e 'console.log(JSON.parse(process.argv[1]).note)' "$BODY")"
  fi
fi
if [[ -n "$vote_note" ]]; then
  ok "${poll_checks[3]}"
else
  not_ok "${poll_checks[3]}" "$STATUS $BODY"
fi

counted=""
if [[ -n "$vote_note" ]]; then
  for _ in $(seq 1 50); do # 10 s
    http GET "$base/api/v1/polls/$poll_id" "" "application/json" "Bearer $token"
    if [[ "$STATUS" == 200 ]] &&
      json_test "j.voters_count === 1 && j.options[0].total === 1 && j.options[0].voters.includes('$peer_actor')"; then
      counted=1
      break
    fi
    sleep 0.2
  done
fi
if [[ -n "$counted" ]]; then
  ok "${poll_checks[4]}"
else
  not_ok "${poll_checks[4]}" "$STATUS $BODY"
fi

if [[ -n "$counted" ]] &&
  wait_inbox "j.some(a => a.type === 'Announce' && a.actor === '$group' && a.verified === true && JSON.stringify(a.raw).includes('Update') && JSON.stringify(a.raw).includes('$poll_ap') && /votersCount\"?:\s*1\b/.test(JSON.stringify(a.raw)))"; then
  ok "${poll_checks[5]}"
else
  not_ok "${poll_checks[5]}" "no verified Announce{Update} of $poll_ap with votersCount 1: $(node -e 'const j = JSON.parse(process.argv[1]); console.log(JSON.stringify(j.filter(a => JSON.stringify(a.raw).includes(process.argv[2])).map(a => ({ type: a.type, actor: a.actor, object: a.raw.object }))))' "$BODY" "$poll_ap" | head -c 3000)"
fi

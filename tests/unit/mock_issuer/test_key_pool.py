"""Where an issuer's RSA keys come from: fresh by default, or made once for a process's issuers."""

from __future__ import annotations

import threading

from cryptography.hazmat.primitives.asymmetric import rsa

from mock_issuer import KeyPool, MockIssuer, ServiceUser


def _numbers(key: rsa.RSAPrivateKey) -> int:
    return key.public_key().public_numbers().n


def _key(user: ServiceUser) -> tuple[str, str]:
    """A service user's key file: its PEM and its key id."""
    assert user.key_file is not None
    return user.key_file["key"], user.key_file["keyId"]


def test_an_issuers_own_pool_makes_every_key_fresh() -> None:
    one, other = KeyPool(), KeyPool()
    keys = [one.take(), one.take(), other.take()]
    assert len({_numbers(k) for k in keys}) == 3


def test_shared_pools_hand_each_issuer_the_same_keys_in_order_each_distinct() -> None:
    one, other = KeyPool(shared=True), KeyPool(shared=True)
    first, second = one.take(), one.take()
    assert _numbers(first) != _numbers(second)
    assert [other.take(), other.take()] == [first, second]  # made once, not again


def test_issuers_asking_a_shared_pool_at_once_get_one_key_made_once() -> None:
    pools = [KeyPool(shared=True) for _ in range(4)]
    taken: list[rsa.RSAPrivateKey] = []
    threads = [threading.Thread(target=lambda p=p: taken.append(p.take())) for p in pools]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(k) for k in taken}) == 1


def test_a_mock_issuer_with_a_shared_pool_keeps_its_keys_apart_and_its_kids_its_own() -> None:
    a, b = (MockIssuer(key_pool=KeyPool(shared=True)) for _ in range(2))
    world_a, world_b = a.provision(), b.provision()
    (pem_a, kid_a), (other_pem_a, _) = _key(world_a.jwt_user), _key(world_a.norole_user)
    pem_b, kid_b = _key(world_b.jwt_user)
    assert pem_a != other_pem_a  # within one issuer, every key its own
    assert (pem_b, kid_b != kid_a) == (pem_a, True)  # the same material, made once; own kids
    assert _key(MockIssuer().provision().jwt_user)[0] not in (pem_a, other_pem_a)  # fresh
